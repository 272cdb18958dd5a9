/**
 * The loyalty rules a desk's edits must keep, pure so the host and tests run the same code: bonus points credited or
 * debited with a reason (a balance never goes below zero), discounts and gift certificates with a value, an optional
 * last day and a "used" mark, and payments taken for a visit. Each refusal is an issue with a code the desk translates.
 */
import type { Appointment, Payment, PaymentMethod } from './appointment.ts';
import { MAX_PAYMENTS } from './appointment.ts';
import type { Client } from './client.ts';
import type { ClientPerk } from './client-perk.ts';
import { issue, type Issue } from './issues.ts';
import { isCalendarDate } from './zoned-time.ts';

export type Checked<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

/** One credit or debit at a time: large enough for any salon's scheme, small enough to catch a typo of extra zeros. */
export const MAX_POINTS_PER_ENTRY = 100_000;
export const MAX_REASON_LENGTH = 200;
/** A certificate or a fixed discount: at most 1,000,000.00 in the location's currency. */
export const MAX_VOUCHER_MINOR = 100_000_000;

export interface PointsEntry {
  /** Positive: credited; negative: debited (redeemed, corrected). */
  points: number;
  reason: string;
}

/** A bonus entry on a client's balance: the new balance and the perk that records it (and drives the bonus message). */
export function pointsEntry(client: Pick<Client, 'id' | 'locationId' | 'loyaltyPoints'>, entry: PointsEntry, ids: { id: string; now: number }): Checked<{ balance: number; perk: ClientPerk }> {
  const issues: Issue[] = [];
  const reason = entry.reason.trim();
  if (!Number.isInteger(entry.points) || entry.points === 0) issues.push(issue('loyalty.points.invalid', 'points', 'enter a whole number of points other than 0'));
  else if (Math.abs(entry.points) > MAX_POINTS_PER_ENTRY) issues.push(issue('loyalty.points.tooMany', 'points', `at most ${MAX_POINTS_PER_ENTRY} points at a time`, { max: MAX_POINTS_PER_ENTRY }));
  if (reason === '') issues.push(issue('loyalty.reason.required', 'reason', 'say why the points are credited or debited'));
  else if (reason.length > MAX_REASON_LENGTH) issues.push(issue('loyalty.reason.tooLong', 'reason', `at most ${MAX_REASON_LENGTH} characters`, { max: MAX_REASON_LENGTH }));
  const balance = client.loyaltyPoints + (Number.isInteger(entry.points) ? entry.points : 0);
  if (issues.length === 0 && balance < 0) {
    issues.push(issue('loyalty.points.notEnough', 'points', `the client has ${client.loyaltyPoints} points; at most that many can be debited`, { balance: client.loyaltyPoints }));
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      balance,
      perk: {
        id: ids.id,
        locationId: client.locationId,
        clientId: client.id,
        kind: 'bonusAccrual',
        points: entry.points,
        balanceAfter: balance,
        description: reason,
        used: false,
        createdAt: new Date(ids.now).toISOString(),
        createdAtMs: ids.now,
      },
    },
  };
}

export interface VoucherInput {
  kind: 'discount' | 'certificate';
  /** Discounts: percent off (or a fixed amount instead). */
  percent?: number | undefined;
  /** Certificates, and fixed discounts: the value in minor units. */
  amountMinor?: number | undefined;
  code?: string | undefined;
  description?: string | undefined;
  /** Last local day it can be used ("YYYY-MM-DD" in the location's zone); absent: no expiry. */
  expiresOn?: string | undefined;
}

/**
 * A new discount or gift certificate. `today` is the location's local date: a voucher that is already over cannot be
 * given (its expiring-discount message could never go out).
 */
export function newVoucher(client: Pick<Client, 'id' | 'locationId'>, input: VoucherInput, ids: { id: string; now: number; today: string }): Checked<ClientPerk> {
  const issues: Issue[] = [];
  const hasPercent = input.percent !== undefined;
  const hasAmount = input.amountMinor !== undefined;
  if (input.kind === 'certificate' && hasPercent) issues.push(issue('loyalty.certificate.percent', 'percent', 'a gift certificate has an amount, not a percent'));
  if (hasPercent && hasAmount) issues.push(issue('loyalty.value.both', 'amountMinor', 'give either a percent or an amount, not both'));
  if (!hasPercent && !hasAmount) issues.push(issue('loyalty.value.required', input.kind === 'certificate' ? 'amountMinor' : 'percent', 'enter the value'));
  if (hasPercent && !(Number.isFinite(input.percent) && input.percent! > 0 && input.percent! <= 100)) issues.push(issue('loyalty.percent.range', 'percent', 'a percent from 1 to 100'));
  if (hasAmount && !(Number.isInteger(input.amountMinor) && input.amountMinor! > 0 && input.amountMinor! <= MAX_VOUCHER_MINOR)) {
    issues.push(issue('loyalty.amount.range', 'amountMinor', 'an amount above 0', { max: MAX_VOUCHER_MINOR / 100 }));
  }
  const code = input.code?.trim();
  const description = input.description?.trim();
  if (input.expiresOn !== undefined && input.expiresOn !== '') {
    if (!isCalendarDate(input.expiresOn)) issues.push(issue('loyalty.expiresOn.invalid', 'expiresOn', `${input.expiresOn} is not a day of the calendar`, { date: input.expiresOn }));
    else if (input.expiresOn < ids.today) issues.push(issue('loyalty.expiresOn.past', 'expiresOn', `${input.expiresOn} is already over`, { date: input.expiresOn }));
  }
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    value: {
      id: ids.id,
      locationId: client.locationId,
      clientId: client.id,
      kind: input.kind,
      ...(hasPercent ? { percent: input.percent! } : {}),
      ...(hasAmount ? { amountMinor: input.amountMinor! } : {}),
      ...(code ? { code } : {}),
      ...(description ? { description } : {}),
      ...(input.expiresOn ? { expiresOn: input.expiresOn } : {}),
      used: false,
      createdAt: new Date(ids.now).toISOString(),
      createdAtMs: ids.now,
    },
  };
}

/** Marks a discount or certificate used (or takes the mark back after a mis-click). */
export function markVoucher(perk: ClientPerk, used: boolean): Checked<ClientPerk> {
  if (perk.kind === 'bonusAccrual') return { ok: false, issues: [issue('loyalty.voucher.notVoucher', 'perkId', 'bonus points are not a voucher; debit them instead')] };
  if (perk.used === used) return { ok: false, issues: [issue(used ? 'loyalty.voucher.alreadyUsed' : 'loyalty.voucher.notUsed', 'used', used ? 'already marked used' : 'not marked used')] };
  return { ok: true, value: { ...perk, used } };
}

/** The balance of a client's vouchers as a desk sees it: still usable today, used, or over. */
export function voucherState(perk: Pick<ClientPerk, 'used' | 'expiresOn'>, today: string): 'usable' | 'used' | 'expired' {
  if (perk.used) return 'used';
  if (perk.expiresOn !== undefined && perk.expiresOn < today) return 'expired';
  return 'usable';
}

export interface PaymentInput {
  method: PaymentMethod;
  amountMinor: number;
  reference?: string | undefined;
}

/**
 * A payment taken for a visit. A cancelled visit takes no money; a terminal's transaction id is recorded once (a
 * repeated report with it is `duplicate`, and the caller answers as if it had just been recorded).
 */
export function addPayment(appointment: Appointment, input: PaymentInput, ids: { id: string; now: number; by: string; source: Payment['source'] }): Checked<Appointment> | { ok: 'duplicate'; payment: Payment } {
  const reference = input.reference?.trim();
  const payments = appointment.payments ?? [];
  const same = reference ? payments.find((p) => p.reference === reference) : undefined;
  if (same) return { ok: 'duplicate', payment: same };
  const issues: Issue[] = [];
  if (!Number.isInteger(input.amountMinor) || input.amountMinor < 1 || input.amountMinor > MAX_VOUCHER_MINOR) issues.push(issue('payment.amount.range', 'amountMinor', 'enter an amount above 0', { max: MAX_VOUCHER_MINOR / 100 }));
  if (appointment.status === 'cancelled') issues.push(issue('payment.visitCancelled', 'appointmentId', 'this visit is cancelled; restore it before taking a payment'));
  if (payments.length >= MAX_PAYMENTS) issues.push(issue('payment.tooMany', 'appointmentId', `a visit holds at most ${MAX_PAYMENTS} payments`, { max: MAX_PAYMENTS }));
  if (issues.length > 0) return { ok: false, issues };
  const at = new Date(ids.now).toISOString();
  const payment: Payment = { id: ids.id, method: input.method, amountMinor: input.amountMinor, at, by: ids.by.slice(0, 120) || 'desk', source: ids.source, ...(reference ? { reference } : {}) };
  return { ok: true, value: { ...appointment, payments: [...payments, payment], updatedAt: at } };
}

/** Takes back a payment recorded by mistake (wrong amount or method); the visit keeps the others. */
export function removePayment(appointment: Appointment, paymentId: string, now: number): Checked<Appointment> {
  const payments = appointment.payments ?? [];
  if (!payments.some((p) => p.id === paymentId)) return { ok: false, issues: [issue('payment.unknown', 'paymentId', 'this payment is no longer on the visit')] };
  return { ok: true, value: { ...appointment, payments: payments.filter((p) => p.id !== paymentId), updatedAt: new Date(now).toISOString() } };
}

/** What is still to pay: the visit's price less its payments (never below zero), or undefined without a price. */
export function outstandingMinor(appointment: Pick<Appointment, 'priceMinor' | 'payments'>): number | undefined {
  if (appointment.priceMinor === undefined) return undefined;
  const paid = (appointment.payments ?? []).reduce((sum, p) => sum + p.amountMinor, 0);
  return Math.max(0, appointment.priceMinor - paid);
}
