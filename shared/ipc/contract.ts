/**
 * The one IPC contract: every channel the renderer may call, with runtime schemas for request and
 * response. Electron main, the web-mode WebSocket, the preload and the renderer's client are all
 * derived from this object, so a channel cannot exist in one place and not the others.
 */
import { z } from 'zod';
import type { ChannelName } from './channels.ts';
import { appointmentAnswer, appointmentCommands, clientAnswer, clientSave, createAnswer } from './schemas/booking.ts';
import { id, hhmm } from './schemas/common.ts';
import { notificationSettingsDocument, notificationSettingsInput, settingsIssue, templateInput } from './schemas/settings.ts';
import { backupContract } from './backup-contract.ts';
import { integrationsContract } from './integrations-contract.ts';
import { loyaltyContract } from './loyalty-contract.ts';
import { peopleContract } from './people-contract.ts';
import { deskSave, deskSettings, locationCreate, locationProfilePatch } from './schemas/salon.ts';
import { providersContract } from './providers-contract.ts';
import { syncContract } from './sync-contract.ts';

export { CHANNEL_NAMES, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from './channels.ts';

const empty = z.object({}).strict();

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  dataDir: z.string(),
  startedAt: z.string(),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Documents the host answers with (reads); requests never carry documents, only the commands' fields. */
const doc = z.custom<{ id: string }>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string',
  'expected a document (an object with an id)',
);
const issue = z.object({ field: z.string(), message: z.string() });

export const contract = {
  'app.info': { request: empty, response: appInfoSchema },
  'app.ping': {
    request: z.object({ echo: z.string().max(1000) }).strict(),
    response: z.object({ echo: z.string(), at: z.string() }),
  },
  /**
   * The person at the desk just clicked or pressed a key. The page answers many gestures from what it holds (a day it
   * has read, a drawer) and sends nothing else; the host's background work then makes way as it does for requests.
   */
  'app.gesture': { request: empty, response: empty },
  'settings.list': {
    request: z.object({ locationId: id }).strict(),
    response: z.object({ location: doc, settings: z.array(doc) }),
  },
  'settings.validate': {
    request: z.object({ settings: notificationSettingsInput }).strict(),
    response: z.object({ issues: z.array(settingsIssue) }),
  },
  'settings.save': {
    request: z.object({ settings: notificationSettingsInput }).strict(),
    response: z.object({ settings: notificationSettingsDocument }),
  },
  'templates.preview': {
    request: z.object({ locationId: id, type: z.string().max(40), channel: z.string().max(20), language: z.enum(['en', 'ru']), template: templateInput, appointmentId: id.optional() }).strict(),
    response: z.object({
      subject: z.string().optional(),
      title: z.string().optional(),
      body: z.string(),
      missing: z.array(z.string()),
      issues: z.array(issue),
      sms: z.object({ encoding: z.string(), characters: z.number(), segments: z.number(), perSegment: z.number() }).optional(),
    }),
  },
  'log.list': {
    request: z
      .object({
        locationId: id.optional(),
        type: z.string().max(40).optional(),
        channel: z.string().max(20).optional(),
        status: z.string().max(20).optional(),
        clientId: id.optional(),
        appointmentId: id.optional(),
        fromMs: z.number().int().optional(),
        toMs: z.number().int().optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    response: z.object({ entries: z.array(doc) }),
  },
  'teamEvents.list': {
    request: z.object({ locationId: id.optional(), unreadOnly: z.boolean().default(false), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    response: z.object({ events: z.array(doc), unread: z.number().int() }),
  },
  'teamEvents.markRead': {
    request: z.object({ ids: z.array(id).min(1).max(500), by: id }).strict(),
    response: z.object({ updated: z.number().int() }),
  },
  /**
   * "Mark all read": every unread event of the location (or of every location) up to `upToMs`, the newest event the
   * desk has shown, also those beyond the list's page; an event that arrives after the click stays unread.
   */
  'teamEvents.markAllRead': {
    request: z.object({ locationId: id.optional(), upToMs: z.number().int().min(0), by: id }).strict(),
    response: z.object({ updated: z.number().int() }),
  },
  'appointments.create': { request: appointmentCommands.create, response: createAnswer },
  'appointments.move': { request: appointmentCommands.move, response: appointmentAnswer },
  'appointments.changeDuration': { request: appointmentCommands.changeDuration, response: appointmentAnswer },
  'appointments.reassign': { request: appointmentCommands.reassign, response: appointmentAnswer },
  'appointments.changeServices': { request: appointmentCommands.changeServices, response: appointmentAnswer },
  'appointments.setStatus': { request: appointmentCommands.setStatus, response: appointmentAnswer },
  'appointments.cancel': { request: appointmentCommands.cancel, response: appointmentAnswer },
  'clients.save': { request: clientSave, response: clientAnswer },
  'jobs.ofAppointment': {
    request: z.object({ appointmentId: id }).strict(),
    response: z.object({ jobs: z.array(doc) }),
  },
  'location.list': {
    request: empty,
    response: z.object({ locations: z.array(z.object({ id: z.string(), name: z.string(), timeZone: z.string() })) }),
  },
  'location.save': {
    request: z
      .object({
        locationId: id,
        ...locationProfilePatch.shape,
        quietHours: z.object({ enabled: z.boolean(), start: hhmm, end: hhmm }).strict().optional(),
        sandboxMode: z.boolean().optional(),
      })
      .strict(),
    response: z.object({ location: doc }),
  },
  'location.create': { request: locationCreate, response: z.object({ location: doc }) },
  /** Loads the demo salon into an empty data folder ("Explore with a demo salon"); refused when a salon exists. */
  'demo.load': { request: empty, response: z.object({ locationId: z.string() }) },
  'desk.settings': { request: empty, response: deskSettings },
  'desk.save': { request: deskSave, response: deskSettings },
  ...syncContract,
  ...providersContract,
  ...loyaltyContract,
  ...peopleContract,
  ...integrationsContract,
  ...backupContract,
} as const satisfies Record<ChannelName, { request: z.ZodType; response: z.ZodType }>;

// Both directions: every listed name has a schema, and every schema is listed.
const everyChannelListed: ChannelName = '' as keyof typeof contract;
void everyChannelListed;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = z.output<Contract[C]['response']>;

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(contract, name);
}

export const hostEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('openAppointment'), appointmentId: z.string() }),
  z.object({ type: z.literal('hostStopping') }),
  /** Desktop app: the host process stopped unexpectedly and a new one is ready; reopen the data (nothing saved is lost). */
  z.object({ type: z.literal('hostRestarted') }),
  /** The notification center changed (new event, marked read): refetch teamEvents.list. */
  z.object({ type: z.literal('teamEventsChanged') }),
  /**
   * New delivery-log entries (coalesced by the host): refetch log.list. `fromMs`: the oldest `atMs` among them (the
   * log is append-only, so nothing older changed); absent when unknown.
   */
  z.object({ type: z.literal('deliveryLogChanged'), fromMs: z.number().optional() }),
  /** Sync status changed (coalesced by the host): refetch sync.status. */
  z.object({ type: z.literal('syncStatusChanged') }),
  /**
   * The host is bringing older documents to this version's layout before it opens the data (once, at the first start
   * after an update): how far, so the window says why it waits. Several a second at most, the last with handled = total.
   */
  z.object({ type: z.literal('dataUpdating'), collection: z.string(), handled: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
  /**
   * A call or QR-code payment an integration reported to this desk (one per notification-center row it wrote): the
   * desk shows a toast that opens the visit card, the caller's client card, or "new client" with the number.
   */
  z.object({
    type: z.literal('deskToast'),
    eventId: z.string(),
    kind: z.enum(['incomingCall', 'qrPayment']),
    test: z.boolean(),
    title: z.string(),
    body: z.string(),
    appointmentId: z.string().optional(),
    clientId: z.string().optional(),
    phone: z.string().optional(),
  }),
]);
export type HostEvent = z.infer<typeof hostEventSchema>;
