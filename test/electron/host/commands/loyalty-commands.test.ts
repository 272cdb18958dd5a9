/**
 * Loyalty and payment commands on a real host: points with a reason move the balance and plan the bonus-accrual
 * message; a discount with a last day plans the expiring-discount message, and none once it is marked used; payments
 * and "review left" on a visit. Every refusal is coded, names its field, and writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { Job } from '../../../../shared/domain/job.ts';
import { utcToWallClock, addDaysToLocalDate } from '../../../../shared/domain/zoned-time.ts';
import { appointment, DAY, HOUR, waitUntil } from '../engine/integration/support/salon.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { LOCATION_ID, call, issueKeys, seedBookingSalon } from './support/booking-salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
const today = () => utcToWallClock(Date.now(), 'Europe/Berlin').date;

beforeAll(async () => {
  running = await startMemoryHost('loyalty-commands');
  host = running.host;
  db = host.runtime.db;
  const now = Date.now();
  await seedBookingSalon(db, now);
  await db.appointments.insert(appointment('apt-done', 'c-anna', now - 3 * HOUR, now, { status: 'completed', priceMinor: 5500, history: [{ at: new Date(now - HOUR).toISOString(), by: 'desk', kind: 'statusChanged', from: 'arrived', to: 'completed' }] }));
  await db.appointments.insert(appointment('apt-off', 'c-anna', now + 2 * DAY, now, { status: 'cancelled' }));
  await host.runtime.engine.idle();
}, 60_000);

afterAll(async () => {
  await running.stop();
});

async function revisionOf(collection: 'clients' | 'appointments', id: string): Promise<string> {
  return (await db[collection].findOne(id).exec())!.revision;
}

async function jobsOf(subjectId: string): Promise<Job[]> {
  await host.runtime.engine.idle();
  return (await db.jobs.find({ selector: { subjectId } }).exec()).map((d) => d.toMutableJSON());
}

async function perksSnapshot(): Promise<string> {
  const [perks, clients, visits] = await Promise.all([db.client_perks.find().exec(), db.clients.find().exec(), db.appointments.find().exec()]);
  return JSON.stringify([perks, clients, visits].map((docs) => docs.map((d) => d.toJSON(true))));
}

async function refused(channel: string, payload: unknown, code = 'invalid_request'): Promise<string[]> {
  const before = await perksSnapshot();
  const result = await call(host, channel, payload);
  expect(result).toMatchObject({ ok: false, error: { code } });
  expect(await perksSnapshot()).toBe(before);
  return issueKeys(result);
}

describe('bonus points', () => {
  it('credit with a reason: the balance moves, the entry records it, and the bonus-accrual message is planned', async () => {
    const result = await call(host, 'loyalty.points', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: await revisionOf('clients', 'c-anna'), points: 150, reason: 'Visit on Tuesday' });
    expect(result).toMatchObject({ ok: true, value: { balance: 150 } });
    const perkId = (result as { value: { perkId: string } }).value.perkId;
    expect((await db.clients.findOne('c-anna').exec())!.loyaltyPoints).toBe(150);
    expect((await db.client_perks.findOne(perkId).exec())!.toMutableJSON()).toMatchObject({ kind: 'bonusAccrual', points: 150, balanceAfter: 150, description: 'Visit on Tuesday', clientId: 'c-anna' });
    const jobs = await waitUntil(async () => ((await jobsOf(perkId)).length > 0 ? jobsOf(perkId) : undefined), 5_000, () => 'no bonus job');
    expect(jobs.map((j) => j.type)).toEqual(['bonusAccrual']);
  });

  it('debit: the balance goes down, no message; more than the balance is refused with the balance named', async () => {
    const result = await call(host, 'loyalty.points', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: await revisionOf('clients', 'c-anna'), points: -50, reason: 'Paid part of a haircut' });
    expect(result).toMatchObject({ ok: true, value: { balance: 100 } });
    expect(await jobsOf((result as { value: { perkId: string } }).value.perkId)).toEqual([]);
    const revision = await revisionOf('clients', 'c-anna');
    const over = await call(host, 'loyalty.points', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: revision, points: -101, reason: 'Too much' });
    expect(over).toMatchObject({ ok: false, error: { issues: [{ code: 'loyalty.points.notEnough', field: 'points', params: { balance: 100 } }] } });
  });

  it('refuses no reason, zero points, a stale card, a client of another location — nothing written', async () => {
    const revision = await revisionOf('clients', 'c-anna');
    expect(await refused('loyalty.points', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: revision, points: 0, reason: ' ' })).toEqual(['loyalty.points.invalid@points', 'loyalty.reason.required@reason']);
    expect(await refused('loyalty.points', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: '1-abc', points: 5, reason: 'x' }, 'conflict')).toEqual(['client.changedElsewhere@expectedRevision']);
    expect(await refused('loyalty.points', { locationId: LOCATION_ID, clientId: 'c-far', expectedRevision: revision, points: 5, reason: 'x' })).toEqual(['client.wrongLocation@clientId']);
    expect(await refused('loyalty.points', { locationId: LOCATION_ID, clientId: 'c-anna', expectedRevision: revision, points: 1.5, reason: 'x' })).toEqual(['request.invalid@points']);
  });
});

describe('discounts and certificates', () => {
  it('a discount with a last day plans the expiring-discount message; marked used, the message is no longer due', async () => {
    const expiresOn = addDaysToLocalDate(today(), 10);
    const result = await call(host, 'loyalty.addVoucher', { locationId: LOCATION_ID, clientId: 'c-anna', kind: 'discount', percent: 15, description: 'Autumn offer', expiresOn });
    expect(result.ok).toBe(true);
    const perkId = (result as { value: { perkId: string } }).value.perkId;
    const planned = await waitUntil(async () => (await jobsOf(perkId)).find((j) => j.state === 'planned'), 5_000, () => 'no expiring-discount job');
    expect(planned).toMatchObject({ type: 'expiringDiscount', occasion: `expires@${expiresOn}` });
    expect(await call(host, 'loyalty.markVoucher', { perkId, used: true })).toMatchObject({ ok: true, value: { used: true } });
    const after = await waitUntil(async () => ((await jobsOf(perkId)).every((j) => j.state !== 'planned') ? jobsOf(perkId) : undefined), 5_000, async () => JSON.stringify(await jobsOf(perkId)));
    expect(after.filter((j) => j.state === 'planned')).toEqual([]);
    expect(await refused('loyalty.markVoucher', { perkId, used: true })).toEqual(['loyalty.voucher.alreadyUsed@used']);
  });

  it('a certificate has an amount; refuses a past last day, a percent on a certificate, no value, a bad date', async () => {
    expect(await call(host, 'loyalty.addVoucher', { locationId: LOCATION_ID, clientId: 'c-anna', kind: 'certificate', amountMinor: 5000, code: 'GIFT-50' })).toMatchObject({ ok: true });
    expect(await refused('loyalty.addVoucher', { locationId: LOCATION_ID, clientId: 'c-anna', kind: 'discount', percent: 10, expiresOn: addDaysToLocalDate(today(), -1) })).toEqual(['loyalty.expiresOn.past@expiresOn']);
    expect(await refused('loyalty.addVoucher', { locationId: LOCATION_ID, clientId: 'c-anna', kind: 'certificate', percent: 10 })).toEqual(['loyalty.certificate.percent@percent']);
    expect(await refused('loyalty.addVoucher', { locationId: LOCATION_ID, clientId: 'c-anna', kind: 'discount' })).toEqual(['loyalty.value.required@percent']);
    expect(await refused('loyalty.addVoucher', { locationId: LOCATION_ID, clientId: 'c-anna', kind: 'discount', percent: 0, expiresOn: '2026-02-30' })).toEqual(['loyalty.percent.range@percent', 'loyalty.expiresOn.invalid@expiresOn']);
    expect(await refused('loyalty.markVoucher', { perkId: 'perk-ghost', used: true }, 'not_found')).toEqual(['loyalty.voucher.notFound@perkId']);
  });
});

describe('payments and reviews on a visit', () => {
  it('records cash, card and QR payments; a repeated terminal reference is recorded once', async () => {
    const first = await call(host, 'appointments.recordPayment', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), method: 'cash', amountMinor: 3000 });
    expect(first).toMatchObject({ ok: true, value: { paidMinor: 3000 } });
    const second = await call(host, 'appointments.recordPayment', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), method: 'qr', amountMinor: 2500, reference: 'T-1' });
    expect(second).toMatchObject({ ok: true, value: { paidMinor: 5500 } });
    const again = await call(host, 'appointments.recordPayment', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), method: 'qr', amountMinor: 2500, reference: 'T-1' });
    expect(again).toMatchObject({ ok: true, value: { paidMinor: 5500 } });
    const payments = (await db.appointments.findOne('apt-done').exec())!.toMutableJSON().payments!;
    expect(payments.map((p) => [p.method, p.amountMinor, p.source])).toEqual([['cash', 3000, 'desk'], ['qr', 2500, 'desk']]);
  });

  it('takes back a payment recorded by mistake; one already gone is refused', async () => {
    const paymentId = (await db.appointments.findOne('apt-done').exec())!.toMutableJSON().payments![0]!.id;
    const removed = await call(host, 'appointments.removePayment', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), paymentId });
    expect(removed).toMatchObject({ ok: true, value: { paidMinor: 2500 } });
    expect(await refused('appointments.removePayment', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), paymentId })).toEqual(['payment.unknown@paymentId']);
  });

  it('refuses a cancelled visit, a stale visit, a zero amount, an unknown method', async () => {
    expect(await refused('appointments.recordPayment', { appointmentId: 'apt-off', expectedRevision: await revisionOf('appointments', 'apt-off'), method: 'card', amountMinor: 100 })).toEqual(['payment.visitCancelled@appointmentId']);
    expect(await refused('appointments.recordPayment', { appointmentId: 'apt-done', expectedRevision: '1-abc', method: 'card', amountMinor: 100 }, 'conflict')).toEqual(['appointment.changedElsewhere@expectedRevision']);
    const revision = await revisionOf('appointments', 'apt-done');
    expect(await refused('appointments.recordPayment', { appointmentId: 'apt-done', expectedRevision: revision, method: 'card', amountMinor: 0 })).toEqual(['request.tooSmall@amountMinor']);
    expect(await refused('appointments.recordPayment', { appointmentId: 'apt-done', expectedRevision: revision, method: 'bitcoin', amountMinor: 10 })).toEqual(['request.invalid@method']);
  });

  it('"review left" stops the review request of the visit, and taking it back plans it again', async () => {
    const review = async () => (await jobsOf('apt-done')).find((j) => j.type === 'reviewRequest');
    expect((await waitUntil(review, 5_000, () => 'no review job'))!.state).toBe('planned');
    expect(await call(host, 'appointments.setReviewLeft', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), reviewLeft: true })).toMatchObject({ ok: true });
    await waitUntil(async () => ((await review())?.state !== 'planned' ? true : undefined), 5_000, async () => JSON.stringify(await review()));
    expect(await refused('appointments.setReviewLeft', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), reviewLeft: true })).toEqual(['review.alreadyMarked@reviewLeft']);
    expect(await call(host, 'appointments.setReviewLeft', { appointmentId: 'apt-done', expectedRevision: await revisionOf('appointments', 'apt-done'), reviewLeft: false })).toMatchObject({ ok: true });
    await waitUntil(async () => ((await review())?.state === 'planned' ? true : undefined), 5_000, async () => JSON.stringify(await review()));
  });
});
