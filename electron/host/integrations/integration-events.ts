/**
 * What an integration's event does at the desk: an incoming call finds the caller's client by number (read for the
 * salon's country); a QR-code payment is recorded on its visit (named, or the one visit of the day it settles) and
 * finds its client. Each becomes exactly one notification-center row (the engine writes it; a repeated report with
 * the same call id or transaction reference is the same row) and one toast at this desk.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import { clientDisplayName, type Client } from '../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { Location } from '../../../shared/domain/location.ts';
import { outstandingMinor } from '../../../shared/domain/loyalty.ts';
import { normalizePhone } from '../../../shared/domain/phone.ts';
import type { TeamEvent, TeamEventFacts } from '../../../shared/domain/team-event.ts';
import type { MessageFacts } from '../../../shared/engine/message-context.ts';
import { salonLanguage, teamMessageText } from '../../../shared/engine/team-events.ts';
import type { IntegrationEvent, IntegrationView } from '../../../shared/integrations/wire.ts';
import { ApiError } from '../../../shared/ipc/result.ts';
import { recordPayment } from '../commands/loyalty-commands.ts';
import type { NotificationEngine } from '../engine/notification-engine.ts';
import { EndpointError, type EndpointAnswer } from './integration-server.ts';

/** What the desk's toast needs to open the right card. */
export interface DeskToast {
  eventId: string;
  kind: 'incomingCall' | 'qrPayment';
  test: boolean;
  title: string;
  body: string;
  appointmentId?: string;
  clientId?: string;
  /** Calls from an unknown number: the "new client" form opens with it. */
  phone?: string;
}

export interface IntegrationEventDeps {
  db: FrontDeskDatabase;
  engine: NotificationEngine;
  now: () => number;
  deskId: () => string;
  toast: (toast: DeskToast) => void;
}

/** A QR payment with no visit named settles the one visit of the last 12 hours (or next 2) that owes exactly this. */
const MATCH_BEFORE_MS = 12 * 3_600_000;
const MATCH_AFTER_MS = 2 * 3_600_000;

async function clientByPhone(db: FrontDeskDatabase, location: Location, raw: string): Promise<{ phone: string; client?: Client }> {
  const normal = normalizePhone(raw, location.countryCode);
  if (!normal.ok) return { phone: raw };
  const client = (await db.clients.findOne({ selector: { locationId: location.id, phone: normal.e164 } }).exec())?.toMutableJSON();
  return { phone: normal.e164, ...(client ? { client } : {}) };
}

async function visitToSettle(db: FrontDeskDatabase, location: Location, amountMinor: number, clientId: string | undefined, now: number): Promise<Appointment | undefined> {
  const docs = await db.appointments
    .find({ selector: { locationId: location.id, startMs: { $gte: now - MATCH_BEFORE_MS, $lte: now + MATCH_AFTER_MS }, ...(clientId ? { clientId } : {}) } })
    .exec();
  const owing = docs.map((d) => d.toMutableJSON()).filter((a) => a.status !== 'cancelled' && a.status !== 'noShow' && outstandingMinor(a) === amountMinor);
  return owing.length === 1 ? owing[0] : undefined;
}

export async function handleIntegrationEvent(deps: IntegrationEventDeps, integration: IntegrationView, event: IntegrationEvent, origin: 'integration' | 'test'): Promise<EndpointAnswer> {
  const { db } = deps;
  const location = (await db.locations.findOne(integration.locationId).exec())?.toMutableJSON();
  if (!location) throw new EndpointError('event.wrongIntegration', 'The location of this integration no longer exists; add the integration again for the right location.');
  const expected = event.type === 'incomingCall' ? 'phoneSystem' : 'paymentTerminal';
  if (integration.kind !== expected) {
    throw new EndpointError('event.wrongIntegration', `This token belongs to a ${integration.kind === 'phoneSystem' ? 'phone system, which reports calls' : 'payment terminal, which reports payments'}; "${event.type}" events need an integration of that kind.`);
  }
  const now = deps.now();
  const senderId = event.type === 'incomingCall' ? event.callId : event.reference;
  // The sender's own id, hashed: any length and any characters it uses make a short, safe document id.
  const id = `${event.type}|${integration.id}|${senderId ? createHash('sha256').update(senderId).digest('hex').slice(0, 32) : randomUUID()}`;
  const existing = senderId ? await deps.engine.teamEvent(id) : undefined;
  if (existing) return answer(existing, true);

  let client: Client | undefined;
  let appointment: Appointment | undefined;
  let phone: string | undefined;
  if (event.type === 'incomingCall') {
    const found = await clientByPhone(db, location, event.phone);
    phone = found.phone;
    client = found.client;
  } else {
    if (event.currency !== location.currency) throw new EndpointError('event.currency', `This salon takes ${location.currency}; the payment is in ${event.currency}. Nothing was recorded.`);
    if (event.phone) {
      const found = await clientByPhone(db, location, event.phone);
      phone = found.phone;
      client = found.client;
    }
    if (event.appointmentId) {
      const named = (await db.appointments.findOne(event.appointmentId).exec())?.toMutableJSON();
      if (!named || named.locationId !== location.id) throw new EndpointError('event.appointment.unknown', `No visit "${event.appointmentId}" at this salon. Nothing was recorded; send the payment without appointmentId to have it matched, or with the id shown on the visit card.`);
      appointment = named;
    } else {
      appointment = await visitToSettle(db, location, event.amountMinor, client?.id, now);
    }
    if (appointment && origin === 'integration') {
      try {
        const paid = await recordPayment(db, { appointmentId: appointment.id, method: 'qr', amountMinor: event.amountMinor, reference: event.reference }, { by: integration.name, source: 'integration' }, now);
        appointment = paid.appointment;
      } catch (error) {
        // The visit cannot take it (cancelled meanwhile, full): the payment still reaches the desk, on no visit.
        if (!(error instanceof ApiError)) throw error;
        appointment = undefined;
      }
    }
    if (appointment && !client) client = (await db.clients.findOne(appointment.clientId).exec())?.toMutableJSON();
  }

  const facts: TeamEventFacts = {
    startAt: now,
    ...(client ? { clientName: clientDisplayName(client) } : {}),
    ...(phone ? { phone } : {}),
    ...(event.type === 'qrPayment' ? { amountMinor: event.amountMinor, currency: event.currency } : {}),
  };
  const settings = (await db.notification_settings.findOne({ selector: { locationId: location.id, type: event.type } }).exec())?.toMutableJSON();
  const message: MessageFacts = {
    location,
    ...(client ? { client } : {}),
    ...(event.type === 'qrPayment' ? { payment: { amountMinor: event.amountMinor } } : { caller: { phone: phone ?? event.phone } }),
  };
  const text = teamMessageText(settings, event.type, 'desktop', salonLanguage(location), message);
  const teamEvent: TeamEvent = {
    id,
    locationId: location.id,
    type: event.type,
    ...(appointment ? { appointmentId: appointment.id } : {}),
    ...(client ? { clientId: client.id } : {}),
    staffIds: appointment ? [appointment.staffId] : [],
    // A test event says so by its origin; the desk marks it "Test" in its own language.
    title: (text.subject ?? event.type).slice(0, 300),
    body: text.body.slice(0, 2000) || (phone ?? event.type),
    facts,
    origin: { kind: origin, name: integration.name, deskId: deps.deskId() || 'desk' },
    at: new Date(now).toISOString(),
    atMs: now,
    readBy: [],
    read: false,
  };
  if (!(await deps.engine.recordTeamEvent(teamEvent))) {
    const first = await deps.engine.teamEvent(id);
    return answer(first ?? teamEvent, true);
  }
  // A manager who turned this team notification off gets the row (and the payment), but no toast.
  if (settings?.enabled === false) return answer(teamEvent, false);
  deps.toast({
    eventId: teamEvent.id,
    kind: event.type,
    test: origin === 'test',
    title: teamEvent.title,
    body: teamEvent.body,
    ...(teamEvent.appointmentId ? { appointmentId: teamEvent.appointmentId } : {}),
    ...(teamEvent.clientId ? { clientId: teamEvent.clientId } : {}),
    ...(phone ? { phone } : {}),
  });
  return answer(teamEvent, false);
}

function answer(event: TeamEvent, duplicate: boolean): EndpointAnswer {
  return { eventId: event.id, duplicate, ...(event.appointmentId ? { appointmentId: event.appointmentId } : {}), ...(event.clientId ? { clientId: event.clientId } : {}) };
}
