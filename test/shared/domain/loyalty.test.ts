/** The pure loyalty rules: balances never below zero, voucher values and last days, payments once per reference. */
import { describe, expect, it } from 'vitest';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import { addPayment, markVoucher, newVoucher, outstandingMinor, pointsEntry, voucherState } from '../../../shared/domain/loyalty.ts';

const now = Date.UTC(2026, 11, 2, 12);
const client = { id: 'c1', locationId: 'l1', loyaltyPoints: 40 };
const codes = (result: { ok: unknown; issues?: { code: string }[] }) => (result.ok === true ? [] : (result.issues ?? []).map((i) => i.code));

describe('bonus points', () => {
  it('credit and debit move the balance; the entry quotes the balance after it', () => {
    const credit = pointsEntry(client, { points: 60, reason: ' Visit ' }, { id: 'p1', now });
    expect(credit).toMatchObject({ ok: true, value: { balance: 100, perk: { kind: 'bonusAccrual', points: 60, balanceAfter: 100, description: 'Visit' } } });
    expect(pointsEntry(client, { points: -40, reason: 'Redeemed' }, { id: 'p2', now })).toMatchObject({ ok: true, value: { balance: 0 } });
  });

  it('never below zero, never zero, never without a reason, never a typo of extra zeros', () => {
    expect(codes(pointsEntry(client, { points: -41, reason: 'x' }, { id: 'p', now }))).toEqual(['loyalty.points.notEnough']);
    expect(codes(pointsEntry(client, { points: 0, reason: '' }, { id: 'p', now }))).toEqual(['loyalty.points.invalid', 'loyalty.reason.required']);
    expect(codes(pointsEntry(client, { points: 1_000_000, reason: 'x' }, { id: 'p', now }))).toEqual(['loyalty.points.tooMany']);
  });
});

describe('discounts and certificates', () => {
  const ids = { id: 'v1', now, today: '2026-12-02' };
  it('a discount by percent or amount, a certificate by amount, with an optional last day not in the past', () => {
    expect(newVoucher(client, { kind: 'discount', percent: 10, expiresOn: '2026-12-02' }, ids)).toMatchObject({ ok: true, value: { percent: 10, expiresOn: '2026-12-02', used: false } });
    expect(newVoucher(client, { kind: 'certificate', amountMinor: 5000 }, ids)).toMatchObject({ ok: true, value: { amountMinor: 5000 } });
    expect(codes(newVoucher(client, { kind: 'discount', percent: 10, amountMinor: 100 }, ids))).toEqual(['loyalty.value.both']);
    expect(codes(newVoucher(client, { kind: 'discount', percent: 120, expiresOn: '2026-12-01' }, ids))).toEqual(['loyalty.percent.range', 'loyalty.expiresOn.past']);
  });

  it('used or expired by the location’s day; marking twice is refused; points are no voucher', () => {
    expect(voucherState({ used: false, expiresOn: '2026-12-02' }, '2026-12-02')).toBe('usable');
    expect(voucherState({ used: false, expiresOn: '2026-12-01' }, '2026-12-02')).toBe('expired');
    expect(voucherState({ used: true }, '2026-12-02')).toBe('used');
    const voucher = (newVoucher(client, { kind: 'discount', percent: 5 }, ids) as { value: Parameters<typeof markVoucher>[0] }).value;
    expect(markVoucher(voucher, true)).toMatchObject({ ok: true, value: { used: true } });
    expect(codes(markVoucher(voucher, false))).toEqual(['loyalty.voucher.notUsed']);
  });
});

describe('payments', () => {
  const visit = { id: 'a1', status: 'completed', priceMinor: 5000, payments: [] } as unknown as Appointment;
  it('add up to what is due; a repeated reference is the same payment; a cancelled visit takes none', () => {
    const first = addPayment(visit, { method: 'qr', amountMinor: 3000, reference: 'T1' }, { id: 'pay1', now, by: 'Terminal', source: 'integration' });
    expect(first.ok).toBe(true);
    const paid = (first as { value: Appointment }).value;
    expect(outstandingMinor(paid)).toBe(2000);
    expect(addPayment(paid, { method: 'qr', amountMinor: 3000, reference: 'T1' }, { id: 'pay2', now, by: 'Terminal', source: 'integration' })).toMatchObject({ ok: 'duplicate', payment: { id: 'pay1' } });
    expect(codes(addPayment({ ...visit, status: 'cancelled' }, { method: 'cash', amountMinor: 1 }, { id: 'p', now, by: 'desk', source: 'desk' }) as never)).toEqual(['payment.visitCancelled']);
    expect(outstandingMinor({ payments: [] })).toBeUndefined();
  });
});
