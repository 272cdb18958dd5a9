/**
 * Requests of the booking commands: appointments and clients. They state intents (book, move, re-assign, change
 * services, set the status, cancel, save a client); the host builds and writes the documents after checking them
 * against the domain rules (shared/domain/booking-edits.ts, client-input.ts).
 */
import { z } from 'zod';
import { APPOINTMENT_STATUSES } from '../../domain/appointment.ts';
import { CHANNEL_OPT_OUT_SCOPES } from '../../domain/client.ts';
import { CLIENT_CHANNELS, CLIENT_NOTIFICATION_TYPES, LANGUAGES } from '../../notifications/catalog.ts';
import { id, revision, wallTime } from './common.ts';

/** Contact fields as typed at the desk; the host normalises the phone for the location's country. */
const contactFields = {
  firstName: z.string().max(120),
  lastName: z.string().max(120).optional(),
  phone: z.string().max(40).optional(),
  email: z.string().max(254).optional(),
  birthday: z.string().max(10).optional(),
  language: z.enum(LANGUAGES).optional(),
};

const newClient = z.object({ kind: z.literal('new'), ...contactFields, marketingConsent: z.boolean().optional() }).strict();
const existingClient = z.object({ kind: z.literal('existing'), id }).strict();

const serviceIds = z.array(id).min(1).max(20);
const notes = z.string().max(2000);
/** Who acts on a visit: every edit names the visit and the revision the desk saw. */
const target = { appointmentId: id, expectedRevision: revision };

export const appointmentCommands = {
  /** A booking, with an existing client or a new one created in the same command (nothing half-written). */
  create: z
    .object({
      locationId: id,
      client: z.discriminatedUnion('kind', [existingClient, newClient]),
      staffId: id,
      serviceIds,
      start: wallTime,
      /** Default: the start plus the services' durations. */
      end: wallTime.optional(),
      notes: notes.optional(),
    })
    .strict(),
  /** A new start; the duration is kept. */
  move: z.object({ ...target, start: wallTime }).strict(),
  /** A new end (the start, specialist and services stay): the visit made longer or shorter. */
  changeDuration: z.object({ ...target, end: wallTime }).strict(),
  reassign: z.object({ ...target, staffId: id }).strict(),
  changeServices: z.object({ ...target, serviceIds }).strict(),
  /** Every status move but cancelling, which is its own command (it will carry a reason and "notify the client"). */
  setStatus: z.object({ ...target, status: z.enum(APPOINTMENT_STATUSES).exclude(['cancelled']) }).strict(),
  /** `notifyClient` false: the client hears nothing of it (no notice, no win-back); `reason` is kept in the history. */
  cancel: z.object({ ...target, notifyClient: z.boolean().default(true), reason: z.string().max(500).optional() }).strict(),
} as const;

export const appointmentAnswer = z.object({ appointmentId: z.string(), revision: z.string() });
export const createAnswer = appointmentAnswer.extend({ clientId: z.string(), clientCreated: z.boolean() });

const channelOptOutShape = Object.fromEntries(CLIENT_CHANNELS.map((c) => [c, z.enum(CHANNEL_OPT_OUT_SCOPES).optional()])) as Record<(typeof CLIENT_CHANNELS)[number], z.ZodOptional<z.ZodEnum<{ all: 'all'; marketing: 'marketing' }>>>;

/** A client card save: without `clientId` a new client; with it an update of the fields given ('' clears one). */
export const clientSave = z
  .object({
    locationId: id,
    clientId: id.optional(),
    expectedRevision: revision.optional(),
    ...contactFields,
    firstName: contactFields.firstName.optional(),
    optOuts: z.array(z.enum(CLIENT_NOTIFICATION_TYPES)).max(CLIENT_NOTIFICATION_TYPES.length).optional(),
    marketingConsent: z.boolean().optional(),
    /** Per channel: `all` = nothing on it ("no SMS"), `marketing` = no promotional messages on it; absent = allowed. */
    channelOptOuts: z.object(channelOptOutShape).strict().optional(),
    notes: notes.optional(),
  })
  .strict();

export const clientAnswer = z.object({ clientId: z.string(), revision: z.string(), created: z.boolean() });
