import { TEAM_EVENT_TYPES } from '../notifications/catalog.ts';
import type { TeamEventType } from '../notifications/catalog.ts';
import { epochMsField, idArrayField, idField, isoUtcField } from './schema-parts.ts';

/**
 * Kinds of notification-center rows: the team notification types, plus `syncConflict` — two desks changed the same
 * booking (or setting) while apart; the row shows both versions and which one was kept. It has no notification
 * settings of its own: it is shown in the center only, never as a toast.
 */
export const TEAM_EVENT_KINDS = [...TEAM_EVENT_TYPES, 'syncConflict', 'clientReply', 'durationChanged'] as const;
export type TeamEventKind = TeamEventType | 'syncConflict' | 'clientReply' | 'durationChanged';
/** The kinds of version 4, as they were: v5 added `durationChanged`. */
const KINDS_V4 = [...TEAM_EVENT_TYPES, 'syncConflict', 'clientReply'] as const;

/** Names are snapshots at the time of the event; instants are epoch ms. */
export interface TeamEventFacts {
  clientName?: string;
  startAt: number;
  staffName?: string;
  serviceNames?: string[];
  /** Reschedules: how it was before (only what changed). */
  previousStartAt?: number;
  previousStaffName?: string;
  /** Incoming calls: the caller's number as the phone system gave it (version 3 on). */
  phone?: string;
  /** QR-code payments: the amount in minor units of `currency`. */
  amountMinor?: number;
  currency?: string;
  /** Client replies (version 4 on): what the client wrote, over which provider, and whether it confirmed the visit. */
  replyText?: string;
  replyVia?: string;
  confirmed?: boolean;
  /** Length changes (version 5 on): the end after the change and before it (the start is `startAt`, unchanged). */
  endAt?: number;
  previousEndAt?: number;
}

/** Where an event came from when not from the book (version 3 on): an integration (terminal, phone system) at a desk. */
export interface TeamEventOrigin {
  kind: 'integration' | 'test';
  /** The integration's name as the manager set it up, e.g. "Card terminal". */
  name: string;
  /** The desk (installation) that received it: its toast shows there. */
  deskId: string;
}

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
  /** English text at the time of the event: for toasts, logs and readers without `facts`. */
  title: string;
  body: string;
  /** What happened, as data: the desk renders the row in its own language when it shows it. Absent on old events. */
  facts?: TeamEventFacts;
  origin?: TeamEventOrigin;
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

/** The kinds of versions 1 to 3, as they were: v4 added `clientReply`. */
const KINDS_V1 = [...TEAM_EVENT_TYPES, 'syncConflict'] as const;

/** v1: the `syncConflict` kind. Existing rows are unchanged. */
export const teamEventSchemaV1 = {
  ...teamEventSchemaV0,
  version: 1,
  properties: { ...teamEventSchemaV0.properties, type: { type: 'string', enum: KINDS_V1, maxLength: 20 } },
} as const;

const shortName = { type: 'string', maxLength: 200 } as const;

/** v2: `facts`, so the notification center renders each row in the desk's language at display time. */
export const teamEventSchemaV2 = {
  ...teamEventSchemaV1,
  version: 2,
  properties: {
    ...teamEventSchemaV1.properties,
    facts: {
      type: 'object',
      additionalProperties: false,
      properties: {
        clientName: shortName,
        startAt: epochMsField,
        staffName: shortName,
        serviceNames: { type: 'array', maxItems: 20, items: shortName },
        previousStartAt: epochMsField,
        previousStaffName: shortName,
      },
      required: ['startAt'],
    },
  },
} as const;

/** v3: calls and payments from integrations: the caller's number, the amount, and the desk that received them. */
export const teamEventSchemaV3 = {
  ...teamEventSchemaV2,
  version: 3,
  properties: {
    ...teamEventSchemaV2.properties,
    facts: {
      ...teamEventSchemaV2.properties.facts,
      properties: {
        ...teamEventSchemaV2.properties.facts.properties,
        phone: { type: 'string', maxLength: 40 },
        amountMinor: { type: 'integer', minimum: 0, maximum: 100_000_000 },
        currency: { type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3 },
      },
    },
    origin: {
      type: 'object',
      additionalProperties: false,
      properties: {
        kind: { type: 'string', enum: ['integration', 'test'], maxLength: 12 },
        name: { type: 'string', minLength: 1, maxLength: 80 },
        deskId: { type: 'string', minLength: 1, maxLength: 128 },
      },
      required: ['kind', 'name', 'deskId'],
    },
  },
} as const;

/**
 * v4: `clientReply` — a client answered a message (Telegram, an SMS reply read from the provider): "1"/"yes" confirmed
 * the visit, anything else is shown as a message from that client, opening the visit card.
 */
export const teamEventSchemaV4 = {
  ...teamEventSchemaV3,
  version: 4,
  properties: {
    ...teamEventSchemaV3.properties,
    type: { type: 'string', enum: KINDS_V4, maxLength: 20 },
    facts: {
      ...teamEventSchemaV3.properties.facts,
      properties: {
        ...teamEventSchemaV3.properties.facts.properties,
        replyText: { type: 'string', maxLength: 1000 },
        replyVia: { type: 'string', maxLength: 20 },
        confirmed: { type: 'boolean' },
      },
    },
  },
} as const;

/**
 * v5: `durationChanged` — a visit made longer or shorter (its start unchanged): the specialist's day changed, the
 * client's arrival did not. Shown in the center only (it has no notification settings, so no toast or staff message).
 */
export const teamEventSchemaV5 = {
  ...teamEventSchemaV4,
  version: 5,
  properties: {
    ...teamEventSchemaV4.properties,
    type: { type: 'string', enum: TEAM_EVENT_KINDS, maxLength: 20 },
    facts: {
      ...teamEventSchemaV4.properties.facts,
      properties: { ...teamEventSchemaV4.properties.facts.properties, endAt: epochMsField, previousEndAt: epochMsField },
    },
  },
} as const;

/**
 * v6: indexes for the unread events, newest first (api/newest-first.ts): the desk's unread badge and the center's
 * "unread" filter read every event of the location without them, and the count of the unread walked them all — at
 * 100k events about a second and a half of the host's event loop at every change of the center.
 */
export const teamEventSchemaV6 = {
  ...teamEventSchemaV5,
  version: 6,
  // Of two indexes that fit a query equally well RxDB's planner takes the later one.
  indexes: ['atMs', ['read', 'atMs'], ['locationId', 'atMs'], ['locationId', 'read', 'atMs']],
} as const;

/** Older rows keep their stored title and body, which the center shows as they are. */
export const teamEventMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  2: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  3: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  4: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  5: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  6: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
};
