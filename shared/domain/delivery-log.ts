import { CHANNELS } from '../notifications/catalog.ts';
import type { Channel } from '../notifications/catalog.ts';
import { NOTIFICATION_TYPES } from './notification-settings.ts';
import type { NotificationType } from './notification-settings.ts';
import { reasonCodeField, reasonParamsField, type ReasonParams } from '../notifications/reasons.ts';
import { epochMsField, idField, isoUtcField, longTextField } from './schema-parts.ts';

export const DELIVERY_STATUSES = [
  'attempted',
  'sent',
  'delivered',
  'failed',
  'notTried',
  'skipped',
  'expired',
  'cancelled',
  'uncertain',
  'sandboxed',
] as const;
/** `notTried`: the channel could not be tried (no address, app not installed, opted out, not configured). */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One attempt or verdict. Append-only: every field is `final`, and each entry has its own id, so replication never has
 * to merge two versions of an entry — the sync conflict handler can keep both sides.
 */
export interface DeliveryLogEntry {
  id: string;
  locationId: string;
  jobId: string;
  type: NotificationType;
  channel: Channel;
  recipient: string;
  status: DeliveryStatus;
  /** English text (logs, CSV, old entries); `reasonCode` + `reasonParams` are what the UI translates. */
  reason?: string;
  reasonCode?: string;
  reasonParams?: ReasonParams;
  /** Raw provider answer (SMTP reply, HTTP body), trimmed. */
  providerReply?: string;
  subject?: string;
  body?: string;
  /** For the log filters and the visit card. */
  clientId?: string;
  appointmentId?: string;
  at: string;
  atMs: number;
}

const fin = <T extends object>(field: T) => ({ ...field, final: true }) as T & { final: true };

export const deliveryLogSchemaV0 = {
  title: 'delivery_log',
  description: 'Append-only record of every send attempt and verdict',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: fin(idField),
    jobId: fin({ type: 'string', minLength: 1, maxLength: 400 } as const),
    type: fin({ type: 'string', enum: NOTIFICATION_TYPES, maxLength: 40 } as const),
    channel: fin({ type: 'string', enum: CHANNELS, maxLength: 20 } as const),
    recipient: fin({ type: 'string', maxLength: 512 } as const),
    status: fin({ type: 'string', enum: DELIVERY_STATUSES, maxLength: 12 } as const),
    reason: fin({ type: 'string', maxLength: 2000 } as const),
    providerReply: fin({ type: 'string', maxLength: 4000 } as const),
    subject: fin({ type: 'string', maxLength: 1000 } as const),
    body: fin(longTextField),
    clientId: fin(idField),
    appointmentId: fin(idField),
    at: fin(isoUtcField),
    atMs: fin(epochMsField),
  },
  required: ['id', 'locationId', 'jobId', 'type', 'channel', 'recipient', 'status', 'at', 'atMs'],
  // Status and type indexes serve the log screen's filters, newest first, over 100k entries (log-query.ts).
  indexes: ['atMs', ['jobId', 'atMs'], ['status', 'atMs'], ['type', 'atMs']],
} as const;

/** v1: reasons as codes + parameters; old entries keep their English `reason` only. */
export const deliveryLogSchemaV1 = {
  ...deliveryLogSchemaV0,
  version: 1,
  properties: {
    ...deliveryLogSchemaV0.properties,
    reasonCode: fin(reasonCodeField),
    reasonParams: fin(reasonParamsField),
  },
} as const;

export const deliveryLogMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>) => oldDoc,
};
