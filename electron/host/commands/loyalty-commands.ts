/**
 * Loyalty and payment commands: bonus points credited or debited with a reason, discounts and gift certificates given
 * and marked used, a payment taken for a visit, and "the client left a review". Each reads what it refers to, runs the
 * pure rule of shared/domain/loyalty.ts and writes only when it holds; every refusal names its request field.
 * The engine plans the bonus-accrual and expiring-discount messages from the perks written here.
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Client } from '../../../shared/domain/client.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { issue } from '../../../shared/domain/issues.ts';
import type { Location } from '../../../shared/domain/location.ts';
import { addPayment, markVoucher, newVoucher, pointsEntry, removePayment } from '../../../shared/domain/loyalty.ts';
import { utcToWallClock } from '../../../shared/domain/zoned-time.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { Handlers } from '../api/router.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import { checkRevision, findLocation, newDocumentId, notFound, refuse, replaceDocument, writeError } from './command-support.ts';

type LoyaltyChannels = 'loyalty.points' | 'loyalty.addVoucher' | 'loyalty.markVoucher' | 'appointments.recordPayment' | 'appointments.removePayment' | 'appointments.setReviewLeft';

/** The client of a loyalty command: it exists and belongs to the location the desk works in. */
async function clientOf(db: FrontDeskDatabase, location: Location, clientId: string) {
  const doc = await db.clients.findOne(clientId).exec();
  if (!doc) notFound('client.notFound', 'clientId', `no client "${clientId}" exists (was it removed?)`, { id: clientId });
  if (doc.locationId !== location.id) refuse([issue('client.wrongLocation', 'clientId', 'this client belongs to another location')]);
  return doc;
}

async function visitOf(db: FrontDeskDatabase, appointmentId: string, expectedRevision: string) {
  const doc = await db.appointments.findOne(appointmentId).exec();
  if (!doc) notFound('appointment.notFound', 'appointmentId', `no visit "${appointmentId}" exists (was it removed?)`, { id: appointmentId });
  checkRevision(doc, expectedRevision, 'appointment');
  return doc;
}

/** The location's calendar day now: vouchers expire at the end of a local day. */
export function localToday(location: Pick<Location, 'timeZone'>, now: number): string {
  return utcToWallClock(now, location.timeZone).date;
}

/**
 * A payment on a visit, from the desk or an integration. A repeated report with a terminal's transaction id answers
 * the payment already recorded and writes nothing.
 */
export async function recordPayment(
  db: FrontDeskDatabase,
  request: { appointmentId: string; expectedRevision?: string; method: 'cash' | 'card' | 'qr'; amountMinor: number; reference?: string | undefined },
  who: { by: string; source: 'desk' | 'integration' },
  now: number,
): Promise<{ appointment: Appointment; revision: string; paymentId: string; duplicate: boolean }> {
  const doc = request.expectedRevision !== undefined ? await visitOf(db, request.appointmentId, request.expectedRevision) : await db.appointments.findOne(request.appointmentId).exec();
  if (!doc) notFound('appointment.notFound', 'appointmentId', `no visit "${request.appointmentId}" exists (was it removed?)`, { id: request.appointmentId });
  const result = addPayment(doc.toMutableJSON(), request, { id: newDocumentId('pay'), now, ...who });
  if (result.ok === 'duplicate') return { appointment: doc.toMutableJSON(), revision: doc.revision, paymentId: result.payment.id, duplicate: true };
  if (!result.ok) refuse(result.issues);
  const saved = await replaceDocument(doc, result.value, 'appointment', 'appointments');
  const payments = result.value.payments ?? [];
  return { appointment: saved.toMutableJSON(), revision: saved.revision, paymentId: payments[payments.length - 1]!.id, duplicate: false };
}

export function loyaltyHandlers(runtime: () => SalonRuntime, clock: Clock): Pick<Handlers, LoyaltyChannels> {
  const db = () => runtime().db;
  return {
    'loyalty.points': async (request) => {
      const location = await findLocation(db(), request.locationId);
      const doc = await clientOf(db(), location, request.clientId);
      checkRevision(doc, request.expectedRevision, 'client');
      const now = clock.now();
      const entry = pointsEntry(doc.toMutableJSON(), { points: request.points, reason: request.reason }, { id: newDocumentId('perk'), now });
      if (!entry.ok) refuse(entry.issues);
      // The balance first, over the revision the desk saw (two desks crediting at once: one is told to look again);
      // then the entry that explains it and drives the message. A failed entry takes the balance back.
      const before = doc.toMutableJSON();
      const saved = await replaceDocument<Client>(doc, { ...before, loyaltyPoints: entry.value.balance }, 'client', 'clients');
      try {
        await db().client_perks.insert(entry.value.perk);
      } catch (error) {
        await saved.incrementalPatch({ loyaltyPoints: before.loyaltyPoints }).catch(() => undefined);
        throw writeError(error, 'client', 'client_perks');
      }
      return { clientId: saved.id, revision: saved.revision, balance: entry.value.balance, perkId: entry.value.perk.id };
    },
    'loyalty.addVoucher': async ({ locationId, clientId, ...input }) => {
      const location = await findLocation(db(), locationId);
      const client = await clientOf(db(), location, clientId);
      const now = clock.now();
      const voucher = newVoucher(client.toMutableJSON(), input, { id: newDocumentId('perk'), now, today: localToday(location, now) });
      if (!voucher.ok) refuse(voucher.issues);
      try {
        await db().client_perks.insert(voucher.value);
      } catch (error) {
        throw writeError(error, 'client', 'client_perks');
      }
      return { perkId: voucher.value.id };
    },
    'loyalty.markVoucher': async ({ perkId, used }) => {
      const doc = await db().client_perks.findOne(perkId).exec();
      if (!doc) notFound('loyalty.voucher.notFound', 'perkId', `no discount or certificate "${perkId}" exists (was it removed?)`, { id: perkId });
      const marked = markVoucher(doc.toMutableJSON(), used);
      if (!marked.ok) refuse(marked.issues);
      await replaceDocument(doc, marked.value, 'client', 'client_perks');
      return { perkId, used };
    },
    'appointments.recordPayment': async (request) => {
      const result = await recordPayment(db(), request, { by: runtime().sync.config.deskName || 'desk', source: 'desk' }, clock.now());
      const paid = (result.appointment.payments ?? []).reduce((sum, p) => sum + p.amountMinor, 0);
      return { appointmentId: result.appointment.id, revision: result.revision, paymentId: result.paymentId, paidMinor: paid };
    },
    'appointments.removePayment': async ({ appointmentId, expectedRevision, paymentId }) => {
      const doc = await visitOf(db(), appointmentId, expectedRevision);
      const result = removePayment(doc.toMutableJSON(), paymentId, clock.now());
      if (!result.ok) refuse(result.issues);
      const saved = await replaceDocument(doc, result.value, 'appointment', 'appointments');
      return { appointmentId: saved.id, revision: saved.revision, paidMinor: (result.value.payments ?? []).reduce((sum, p) => sum + p.amountMinor, 0) };
    },
    'appointments.setReviewLeft': async ({ appointmentId, expectedRevision, reviewLeft }) => {
      const doc = await visitOf(db(), appointmentId, expectedRevision);
      const current = doc.toMutableJSON();
      if (current.reviewLeft === reviewLeft) refuse([issue(reviewLeft ? 'review.alreadyMarked' : 'review.notMarked', 'reviewLeft', reviewLeft ? 'already marked as reviewed' : 'not marked as reviewed')]);
      const saved = await replaceDocument(doc, { ...current, reviewLeft, updatedAt: new Date(clock.now()).toISOString() }, 'appointment', 'appointments');
      return { appointmentId: saved.id, revision: saved.revision };
    },
  };
}
