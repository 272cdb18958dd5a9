import { CHANNELS, LANGUAGES, SCENARIOS } from '../notifications/catalog.ts';
import type { Channel, Language, Scenario } from '../notifications/catalog.ts';
import { NOTIFICATION_TYPES } from './notification-settings.ts';
import type { NotificationType } from './notification-settings.ts';
import { reasonCodeField, reasonParamsField, type ReasonParams } from '../notifications/reasons.ts';
import { EPOCH_MS_MAX, epochMsField, idField, isoUtcField, longTextField } from './schema-parts.ts';

export const JOB_STATES = [
  'planned',
  'sending',
  'sent',
  'delivered',
  'failed',
  'skipped',
  'expired',
  'cancelled',
  'uncertain',
  'sandboxed',
] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States a job never leaves (DESIGN §4.1). `sent` may still become `delivered`/`failed` by a delivery report. */
export const TERMINAL_JOB_STATES: readonly JobState[] = [
  'delivered',
  'failed',
  'skipped',
  'expired',
  'cancelled',
  'uncertain',
  'sandboxed',
];

export function isTerminalJobState(state: JobState): boolean {
  return TERMINAL_JOB_STATES.includes(state);
}

export const JOB_CHANNELS = [...CHANNELS, 'cascade'] as const;
export type JobChannel = Channel | 'cascade';

export const SUBJECT_KINDS = ['appointment', 'client', 'perk', 'teamEvent'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

export interface RenderedMessage {
  language: Language;
  subject?: string;
  body: string;
}

/**
 * One channel of a job, with its own outcome. A client job has one step per channel of its cascade; a staff job
 * (email, adminPush, SMS, desktop toast to one staff member) has exactly one.
 *
 * While a step waits, it says for what: `planned` + `retryAt` (a temporary failure, or the next route of the
 * channel), `sent` + `reportAt` (the next delivery-report poll) and `verdictAt` (when the verdict is assumed).
 */
export interface CascadeStep {
  channel: Channel;
  scenario: Scenario;
  state: JobState;
  /** English text; `reasonCode` + `reasonParams` are what readers translate (shared/notifications/reasons.ts). */
  reason?: string;
  reasonCode?: string;
  reasonParams?: ReasonParams;
  at?: string;
  /** Set when the step went `sending`: the desk that held the dispatch lease and the lease's epoch (DESIGN §4.6). */
  fence?: SendFence;
  /** The route of the latest attempt ("whatsapp", "sms", "telegram"); absent for one-route channels. */
  route?: string;
  /** Routes of the channel already used up for this message (failed or could not be used). */
  skipRoutes?: string[];
  providerMessageId?: string;
  /** The provider's latest word on the message ("queued", "sent", "undelivered"). */
  providerStatus?: string;
  /** Temporary failures on the current route. */
  tries?: number;
  /** Epoch ms: send again then (a retry, or the next route). */
  retryAt?: number;
  /** Epoch ms: ask the provider for a delivery report then. */
  reportAt?: number;
  /** Delivery reports asked so far (the interval doubles). */
  polls?: number;
  /** Epoch ms: the verdict window ends (or the message's deadline comes) — the verdict is assumed then. */
  verdictAt?: number;
}

/**
 * Who was allowed to send, recorded on every `sending` step. `epoch` is the dispatch lease's epoch; 0 means no lease
 * was needed (sync off, or the desk is configured as its location's only desk).
 */
export interface SendFence {
  desk: string;
  epoch: number;
}

export interface Job {
  /** Deterministic (see `jobId`), so planning the same thing twice — two desks, a replay — writes one document. */
  id: string;
  locationId: string;
  type: NotificationType;
  subjectKind: SubjectKind;
  /** Appointment id, client id (birthday) or perk id (bonus, discount). */
  subjectId: string;
  /** Tells apart repeated sends for one subject: reminder offset + start, birthday year, change revision… */
  occasion: string;
  channel: JobChannel;
  /** Epoch ms the job should go out. */
  dueAt: number;
  state: JobState;
  /** Why it was skipped, expired, cancelled, failed or is uncertain: English text, for logs and old readers. */
  reason?: string;
  /** The same reason as a code + parameters the UI translates (shared/notifications/reasons.ts). */
  reasonCode?: string;
  reasonParams?: ReasonParams;
  attempts: number;
  recipient?: string;
  rendered?: RenderedMessage;
  cascade?: CascadeStep[];
  /** Passed to providers that deduplicate, so a crash mid-send is resolved without a second message. */
  idempotencyKey: string;
  /** The fence of the last time this job went `sending` (single-channel jobs; cascade steps carry their own). */
  fence?: SendFence;
  createdAt: string;
  updatedAt: string;
}

/**
 * The deterministic job id. Components are joined with "|" (which no id, type or channel contains) and kept
 * readable so a log line tells what the job is.
 */
export function jobId(parts: { type: NotificationType; subjectId: string; occasion: string; channel: JobChannel }): string {
  return `${parts.type}|${parts.subjectId}|${parts.occasion}|${parts.channel}`;
}

const renderedField = {
  type: 'object',
  additionalProperties: false,
  properties: {
    language: { type: 'string', enum: LANGUAGES, maxLength: 5 },
    subject: { type: 'string', maxLength: 1000 },
    body: longTextField,
  },
  required: ['language', 'body'],
} as const;

const jobStateField = { type: 'string', enum: JOB_STATES, maxLength: 12 } as const;

const fenceField = {
  type: 'object',
  additionalProperties: false,
  properties: { desk: { type: 'string', minLength: 1, maxLength: 64 }, epoch: { type: 'integer', minimum: 0, maximum: 1_000_000_000 } },
  required: ['desk', 'epoch'],
} as const;

export const jobSchemaV0 = {
  title: 'jobs',
  description: 'The notification outbox: one planned message per (type, subject, occasion, channel)',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 400 },
    locationId: idField,
    type: { type: 'string', enum: NOTIFICATION_TYPES, maxLength: 40 },
    subjectKind: { type: 'string', enum: SUBJECT_KINDS, maxLength: 20 },
    subjectId: idField,
    occasion: { type: 'string', minLength: 1, maxLength: 100 },
    channel: { type: 'string', enum: JOB_CHANNELS, maxLength: 20 },
    dueAt: epochMsField,
    state: jobStateField,
    reason: { type: 'string', maxLength: 2000 },
    attempts: { type: 'integer', minimum: 0, maximum: 1000 },
    recipient: { type: 'string', maxLength: 512 },
    rendered: renderedField,
    cascade: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          channel: { type: 'string', enum: CHANNELS, maxLength: 20 },
          scenario: { type: 'string', enum: SCENARIOS, maxLength: 20 },
          state: jobStateField,
          reason: { type: 'string', maxLength: 2000 },
          at: isoUtcField,
        },
        required: ['channel', 'scenario', 'state'],
      },
    },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 400 },
    createdAt: isoUtcField,
    updatedAt: isoUtcField,
  },
  required: [
    'id',
    'locationId',
    'type',
    'subjectKind',
    'subjectId',
    'occasion',
    'channel',
    'dueAt',
    'state',
    'attempts',
    'idempotencyKey',
    'createdAt',
    'updatedAt',
  ],
  indexes: [['state', 'dueAt'], ['subjectId', 'dueAt']],
} as const;

/** v1 adds the dispatch fence (sync, DESIGN §4.6) to jobs and their cascade steps; both optional, so v0 jobs are valid. */
export const jobSchemaV1 = {
  ...jobSchemaV0,
  version: 1,
  properties: {
    ...jobSchemaV0.properties,
    cascade: {
      ...jobSchemaV0.properties.cascade,
      items: {
        ...jobSchemaV0.properties.cascade.items,
        properties: { ...jobSchemaV0.properties.cascade.items.properties, fence: fenceField },
      },
    },
    fence: fenceField,
  },
} as const;

/** v2: reasons as codes + parameters (`reasonCode`, `reasonParams`) on jobs and their cascade steps. */
export const jobSchemaV2 = {
  ...jobSchemaV1,
  version: 2,
  properties: {
    ...jobSchemaV1.properties,
    reasonCode: reasonCodeField,
    reasonParams: reasonParamsField,
    cascade: {
      ...jobSchemaV1.properties.cascade,
      items: {
        ...jobSchemaV1.properties.cascade.items,
        properties: { ...jobSchemaV1.properties.cascade.items.properties, reasonCode: reasonCodeField, reasonParams: reasonParamsField },
      },
    },
  },
} as const;

const routeField = { type: 'string', minLength: 1, maxLength: 40 } as const;
const optionalEpochMs = { type: 'integer', minimum: 0, maximum: EPOCH_MS_MAX } as const;

/**
 * v3: cascade steps remember retries, routes, delivery-report polls and when the verdict is assumed (the providers
 * issue). Every new field is optional.
 */
export const jobSchemaV3 = {
  ...jobSchemaV2,
  version: 3,
  properties: {
    ...jobSchemaV2.properties,
    cascade: {
      ...jobSchemaV2.properties.cascade,
      items: {
        ...jobSchemaV2.properties.cascade.items,
        properties: {
          ...jobSchemaV2.properties.cascade.items.properties,
          route: routeField,
          skipRoutes: { type: 'array', items: routeField, maxItems: 10 },
          providerMessageId: { type: 'string', minLength: 1, maxLength: 200 },
          providerStatus: { type: 'string', maxLength: 60 },
          tries: { type: 'integer', minimum: 0, maximum: 1000 },
          retryAt: optionalEpochMs,
          reportAt: optionalEpochMs,
          polls: { type: 'integer', minimum: 0, maximum: 100_000 },
          verdictAt: optionalEpochMs,
        },
      },
    },
  },
} as const;

/** Every step only adds optional fields: older jobs are valid as they are (and keep their English `reason`). */
export const jobMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  2: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
  3: (oldDoc: Record<string, unknown>): Record<string, unknown> => oldDoc,
};
