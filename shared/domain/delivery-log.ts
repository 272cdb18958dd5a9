import { CHANNELS } from '../notifications/catalog.ts';
import type { Channel } from '../notifications/catalog.ts';
import { NOTIFICATION_TYPES } from './notification-settings.ts';
import type { NotificationType } from './notification-settings.ts';
import { reasonCodeField, reasonParamsField, type ReasonParams } from '../notifications/reasons.ts';
import { EPOCH_MS_MAX, epochMsField, idField, isoUtcField, longTextField } from './schema-parts.ts';

/** The statuses of versions 0 and 1 of the log; `retrying` came with version 2. */
const DELIVERY_STATUSES_V0 = [
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

export const DELIVERY_STATUSES = [...DELIVERY_STATUSES_V0, 'retrying'] as const;
/** `notTried`: the channel could not be tried (no address, app not installed, opted out, not configured). */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * What a verdict rests on: the provider's answer to the send (`provider`), a delivery report read later (`report`),
 * the verdict window ending without a final report (`windowElapsed`), the message's deadline (`deadline`), or the
 * restart after a crash (`recovery`).
 */
export const VERDICT_BASES = ['provider', 'report', 'windowElapsed', 'deadline', 'recovery'] as const;
export type VerdictBasis = (typeof VERDICT_BASES)[number];

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
  /** Version 2 on: how the status was reached (see VerdictBasis). */
  basis?: VerdictBasis;
  /** The route inside the channel ("whatsapp", "sms", "telegram"). */
  route?: string;
  /** The provider's own status word ("queued", "undelivered", "UNREGISTERED"). */
  providerStatus?: string;
  /** The provider's id of the message (Twilio SID, FCM message name). */
  providerMessageId?: string;
  /** `attempted`: the job's n-th hand-off to a provider. */
  attempt?: number;
  /** `retrying`: when the next try is due (epoch ms). */
  retryAt?: number;
  /** SMS segments of the message. */
  segments?: number;
  /** Cost in millionths of `costCurrency`; the latest entry of a message that carries a cost is what it cost. */
  costMicros?: number;
  costCurrency?: string;
  /** The cost is computed from the configured price per segment, not reported by the provider. */
  costEstimated?: boolean;
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
    status: fin({ type: 'string', enum: DELIVERY_STATUSES_V0, maxLength: 12 } as const),
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

/** v2: verdict basis, routes, provider status and message id, retries, segments and cost; longer ids. */
export const deliveryLogSchemaV2 = {
  ...deliveryLogSchemaV1,
  version: 2,
  properties: {
    ...deliveryLogSchemaV1.properties,
    id: { type: 'string', minLength: 1, maxLength: 400 },
    status: fin({ type: 'string', enum: DELIVERY_STATUSES, maxLength: 12 } as const),
    basis: fin({ type: 'string', enum: VERDICT_BASES, maxLength: 20 } as const),
    route: fin({ type: 'string', maxLength: 40 } as const),
    providerStatus: fin({ type: 'string', maxLength: 60 } as const),
    providerMessageId: fin({ type: 'string', maxLength: 200 } as const),
    attempt: fin({ type: 'integer', minimum: 1, maximum: 1000 } as const),
    retryAt: fin({ type: 'integer', minimum: 0, maximum: EPOCH_MS_MAX } as const),
    segments: fin({ type: 'integer', minimum: 0, maximum: 1000 } as const),
    costMicros: fin({ type: 'integer', minimum: -1_000_000_000_000, maximum: 1_000_000_000_000 } as const),
    costCurrency: fin({ type: 'string', pattern: '^[A-Z]{3}$', maxLength: 3 } as const),
    costEstimated: fin({ type: 'boolean' } as const),
  },
} as const;

/**
 * v3: indexes for the filters by client, by visit and by channel, newest first (log-query.ts). Without them a client
 * card's messages (`log.list` by client, at every open and again whenever the log changed while it is open), the log
 * filtered to one client or visit, or a channel with no entries walked the whole log: about a second at 100k entries,
 * the host's event loop held for most of it.
 */
export const deliveryLogSchemaV3 = {
  ...deliveryLogSchemaV2,
  version: 3,
  // Of two indexes that fit a query equally well RxDB's planner takes the later one: the more selective come last (a
  // type and a channel: the type's, of more values; a client and a type: the client's).
  indexes: ['atMs', ['channel', 'atMs'], ['status', 'atMs'], ['type', 'atMs'], ['clientId', 'atMs'], ['appointmentId', 'atMs'], ['jobId', 'atMs']],
} as const;

export const deliveryLogMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>) => oldDoc,
  2: (oldDoc: Record<string, unknown>) => oldDoc,
  3: (oldDoc: Record<string, unknown>) => oldDoc,
};
