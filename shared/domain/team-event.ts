import { TEAM_EVENT_TYPES } from '../notifications/catalog.ts';
import type { TeamEventType } from '../notifications/catalog.ts';
import { epochMsField, idArrayField, idField, isoUtcField } from './schema-parts.ts';

/**
 * Kinds of notification-center rows: the team notification types, plus `syncConflict` — two desks changed the same
 * booking (or setting) while apart; the row shows both versions and which one was kept. It has no notification
 * settings of its own: it is shown in the center only, never as a toast.
 */
export const TEAM_EVENT_KINDS = [...TEAM_EVENT_TYPES, 'syncConflict'] as const;
export type TeamEventKind = TeamEventType | 'syncConflict';

/** A row of the notification center. */
export interface TeamEvent {
  id: string;
  locationId: string;
  type: TeamEventKind;
  /** Absent for events without a visit (incoming call from an unknown number). */
  appointmentId?: string;
  clientId?: string;
  /** Staff concerned: they get the desktop toast. */
  staffIds: string[];
  title: string;
  body: string;
  at: string;
  atMs: number;
  /** Staff (or desk) ids that marked it read; `read` is true once anyone did, for the simple unread badge. */
  readBy: string[];
  read: boolean;
}

export const teamEventSchemaV0 = {
  title: 'team_events',
  description: 'Notification center entry',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    type: { type: 'string', enum: TEAM_EVENT_TYPES, maxLength: 20 },
    appointmentId: idField,
    clientId: idField,
    staffIds: idArrayField,
    title: { type: 'string', minLength: 1, maxLength: 300 },
    body: { type: 'string', maxLength: 2000 },
    at: isoUtcField,
    atMs: epochMsField,
    readBy: idArrayField,
    read: { type: 'boolean' },
  },
  required: ['id', 'locationId', 'type', 'staffIds', 'title', 'body', 'at', 'atMs', 'readBy', 'read'],
  indexes: ['atMs', ['locationId', 'atMs']],
} as const;

/** v1: the `syncConflict` kind. Existing rows are unchanged. */
export const teamEventSchemaV1 = {
  ...teamEventSchemaV0,
  version: 1,
  properties: { ...teamEventSchemaV0.properties, type: { type: 'string', enum: TEAM_EVENT_KINDS, maxLength: 20 } },
} as const;

export const teamEventMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
};
