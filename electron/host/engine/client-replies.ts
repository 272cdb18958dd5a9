/**
 * What a message from a client means (item 7 of the providers issue). Replies are read from the providers that let
 * the desk read them (Telegram updates, Twilio's inbound message list, the SMS gateway's inbound poll):
 *   - "/start <code>" in Telegram links the chat of the client who was given that deep-link code;
 *   - "1", "yes", "да"… confirms the client's next visit (booked → confirmed, by "client");
 *   - anything else lands in the notification center as a message from that client, opening the visit card.
 * A reply from nobody the salon knows is dropped (never a crash, never a row naming a stranger).
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import { changeStatus } from '../../../shared/domain/booking-edits.ts';
import type { Client } from '../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { normalizePhone } from '../../../shared/domain/phone.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import type { InboundMessage } from '../channels/providers/provider-client.ts';

export type ReplyOutcome =
  | { kind: 'linked'; clientId: string }
  | { kind: 'confirmed'; clientId: string; appointmentId: string; event: TeamEvent }
  | { kind: 'message'; clientId: string; appointmentId?: string; event: TeamEvent }
  | { kind: 'ignored'; why: 'unknownSender' | 'unknownCode' | 'duplicate' | 'empty' };

/** Words that confirm a visit, in the languages the salons write in; compared after trimming and lower-casing. */
const CONFIRMING = new Set(['1', 'yes', 'y', 'ok', 'okay', 'confirm', 'confirmed', 'да', 'ок', 'подтверждаю', 'подтверждаю.', 'ja', 'oui', 'si', 'sí', 'tak', 'так']);

export function isConfirmation(text: string): boolean {
  const normalised = text.trim().toLowerCase().replace(/[!.,\s]+$/u, '');
  return CONFIRMING.has(normalised);
}

/** The code of a Telegram deep link: the bot receives "/start <code>" (or "/start@bot <code>"). */
export function startCode(text: string): string | undefined {
  const match = /^\/start(?:@\w+)?\s+([A-Za-z0-9_-]{8,64})\s*$/.exec(text.trim());
  return match?.[1];
}

/** How far back a reply may refer to a visit that already began ("yes" five minutes late still means this visit). */
const VISIT_GRACE_MS = 2 * 3600_000;

async function senderOf(db: FrontDeskDatabase, locationId: string, message: InboundMessage): Promise<Client | undefined> {
  // Clients are indexed by location only: a location's clients are read once per reply, which is rare.
  const clients = (await db.clients.find({ selector: { locationId } }).exec()).map((d) => d.toMutableJSON());
  if (message.telegramChatId) return clients.find((c) => c.telegram?.chatId === message.telegramChatId);
  if (!message.fromPhone) return undefined;
  // Gateways write the sender as they like ("4915…", "+49 151…"): read it as the desk reads a typed number.
  const country = (await db.locations.findOne(locationId).exec())?.countryCode ?? '';
  const typed = message.fromPhone.trim();
  const normalised = normalizePhone(/^\d{9,}$/.test(typed) ? `+${typed}` : typed, country);
  const phone = normalised.ok ? normalised.e164 : typed;
  return clients.find((c) => c.phone === phone);
}

async function nextVisit(db: FrontDeskDatabase, clientId: string, now: number): Promise<Appointment | undefined> {
  const doc = await db.appointments
    .findOne({ selector: { clientId, startMs: { $gt: now - VISIT_GRACE_MS }, status: { $in: ['booked', 'confirmed'] } }, sort: [{ startMs: 'asc' }] })
    .exec();
  return doc?.toMutableJSON();
}

function clientName(client: Client): string {
  return [client.firstName, client.lastName].filter(Boolean).join(' ');
}

/** Links the chat of the client holding `code`; the code is used up. */
async function link(db: FrontDeskDatabase, locationId: string, code: string, chatId: string, now: number): Promise<ReplyOutcome> {
  const docs = await db.clients.find({ selector: { locationId } }).exec();
  const holder = docs.find((d) => d.telegram?.linkCode === code);
  if (!holder) return { kind: 'ignored', why: 'unknownCode' };
  // A chat belongs to one client: whoever had it before loses it (a phone handed on, a code opened twice).
  for (const other of docs) {
    if (other.id === holder.id || other.telegram?.chatId !== chatId) continue;
    await other.incrementalModify((c) => {
      const { chatId: _dropped, linkedAt: _at, ...rest } = c.telegram ?? {};
      return { ...c, telegram: rest };
    });
  }
  await holder.incrementalModify((c) => ({ ...c, telegram: { chatId, linkedAt: new Date(now).toISOString() } }));
  return { kind: 'linked', clientId: holder.id };
}

export interface ReplyContext {
  db: FrontDeskDatabase;
  locationId: string;
  now: number;
  /** Writes the notification-center row (the engine's store: only the engine writes team events). */
  insertTeamEvent(event: TeamEvent): Promise<boolean>;
}

export async function handleClientReply(ctx: ReplyContext, message: InboundMessage): Promise<ReplyOutcome> {
  const text = message.text.trim();
  if (text === '') return { kind: 'ignored', why: 'empty' };
  const code = message.telegramChatId ? startCode(text) : undefined;
  if (code && message.telegramChatId) return link(ctx.db, ctx.locationId, code, message.telegramChatId, ctx.now);
  if (/^\/start\b/.test(text)) return { kind: 'ignored', why: 'unknownCode' };

  const client = await senderOf(ctx.db, ctx.locationId, message);
  if (!client) return { kind: 'ignored', why: 'unknownSender' };
  const visit = await nextVisit(ctx.db, client.id, ctx.now);
  const confirming = visit !== undefined && isConfirmation(text);
  if (confirming && visit.status === 'booked') {
    const edit = changeStatus(visit, 'confirmed', ctx.now, 'client');
    if (edit.ok) {
      const doc = await ctx.db.appointments.findOne(visit.id).exec();
      await doc?.incrementalModify((current) => (current.status === 'booked' ? edit.value : current));
    }
  }
  const name = clientName(client);
  const at = new Date(message.at || ctx.now).toISOString();
  const event: TeamEvent = {
    // One row per provider message: a reply read twice (a restart before the offset was confirmed) is written once.
    id: `reply|${message.via}|${message.id}`.slice(0, 128),
    locationId: ctx.locationId,
    type: 'clientReply',
    ...(visit ? { appointmentId: visit.id } : {}),
    clientId: client.id,
    staffIds: visit ? [visit.staffId] : [],
    title: confirming ? `${name} confirmed the visit` : `Message from ${name}`,
    body: text.slice(0, 2000),
    facts: { clientName: name, startAt: visit?.startMs ?? ctx.now, replyText: text.slice(0, 1000), replyVia: message.via.slice(0, 20), ...(confirming ? { confirmed: true } : {}) },
    at,
    atMs: Date.parse(at),
    readBy: [],
    read: false,
  };
  if (!(await ctx.insertTeamEvent(event))) return { kind: 'ignored', why: 'duplicate' };
  return confirming ? { kind: 'confirmed', clientId: client.id, appointmentId: visit.id, event } : { kind: 'message', clientId: client.id, ...(visit ? { appointmentId: visit.id } : {}), event };
}
