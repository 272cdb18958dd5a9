/**
 * What clients and staff are told must be true: change alerts state the visit before the first edit of a burst and
 * after the last, a burst of edits is one alert, a silent cancellation sends nothing, a restored visit is confirmed
 * again, the repeat-visit invitation follows the last visit, and team events carry their facts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CHANGE_SETTLE_MS } from '../../../../shared/engine/change-burst.ts';
import { DAY, EngineHarness, HOUR, MINUTE, T0 } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

/** Wednesday 25 Nov 2026, 19:00 in Berlin. */
const WED_19 = T0 + 2 * DAY + 9 * HOUR;

describe('change alerts', () => {
  it('state the true before and after of every part, after a move and then a services change', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.move(a.id, WED_19 - HOUR);
    await h.advance(MINUTE);
    await h.change(a.id, () => ({ serviceIds: ['svc1', 'svc2'] }), { kind: 'servicesChanged', from: 'svc1', to: 'svc1,svc2' });
    await h.advance(CHANGE_SETTLE_MS);
    const alerts = h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.body).toContain('When: Wed, 25 Nov 2026, 18:00');
    expect(alerts[0]!.body).toContain('Services: Haircut and Consultation');
    expect(alerts[0]!.body).toContain('Before the change: Wed, 25 Nov 2026, 19:00, Haircut with Sophie Wagner.');
    expect(alerts[0]!.subject).toContain('18:00');
  });

  it('coalesce three quick edits into one alert that names the specialist before and after', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.move(a.id, WED_19 - HOUR);
    await h.advance(30_000);
    await h.change(a.id, () => ({ staffId: 's2' }), { kind: 'reassigned', from: 's1', to: 's2' });
    await h.advance(30_000);
    await h.move(a.id, WED_19 - 2 * HOUR);
    const planned = (await h.job('changeAlert', a.id)).filter((j) => j.state === 'planned');
    expect(planned).toHaveLength(1);
    expect(planned[0]!.dueAt).toBe(T0 + MINUTE + CHANGE_SETTLE_MS);
    await h.advance(CHANGE_SETTLE_MS);
    const alerts = h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.body).toContain('When: Wed, 25 Nov 2026, 17:00');
    expect(alerts[0]!.body).toContain('Specialist: Mila Novak');
    expect(alerts[0]!.body).toContain('Before the change: Wed, 25 Nov 2026, 19:00, Haircut with Sophie Wagner.');
    // Superseded alerts of the same burst never existed: one job per burst.
    expect(await h.job('changeAlert', a.id)).toHaveLength(1);
  });

  it('tell nothing when the edits put the visit back as it was', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.move(a.id, WED_19 - HOUR);
    await h.advance(MINUTE);
    await h.move(a.id, WED_19);
    await h.advance(CHANGE_SETTLE_MS + MINUTE);
    expect(h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'))).toHaveLength(0);
    expect(await h.job('changeAlert', a.id)).toMatchObject([{ state: 'skipped', reasonCode: 'changeAlert.noNetChange' }]);
  });

  it('of a later burst compare with the visit after the earlier one', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.move(a.id, WED_19 - HOUR);
    await h.advance(CHANGE_SETTLE_MS + MINUTE);
    await h.change(a.id, () => ({ staffId: 's2' }), { kind: 'reassigned', from: 's1', to: 's2' });
    await h.advance(CHANGE_SETTLE_MS + MINUTE);
    const alerts = h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'));
    expect(alerts).toHaveLength(2);
    expect(alerts[1]!.body).toContain('Before the change: Wed, 25 Nov 2026, 18:00, Haircut with Sophie Wagner.');
    expect(alerts[1]!.body).toContain('Specialist: Mila Novak');
  });
});

describe('cancel and restore', () => {
  it('a cancellation with "notify client" off sends nothing now or later', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    const toClient = () => h.allSent().filter((m) => m.channel !== 'desktop');
    const before = toClient().length;
    await h.change(a.id, () => ({ status: 'cancelled' }), { kind: 'statusChanged', from: 'booked', to: 'cancelled', notify: false, note: 'Booked twice' });
    await h.advance(10 * DAY);
    expect(toClient()).toHaveLength(before);
    expect(await h.job('cancellationNotice', a.id)).toMatchObject([{ state: 'skipped', reasonCode: 'cancellation.notNotified' }]);
    expect(await h.job('winBack', a.id)).toEqual([]);
  });

  it('restoring a cancelled visit tells the client it is back on, and its reminders come back', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.setStatus(a.id, 'cancelled');
    expect(h.sentOf('email').filter((m) => m.jobId.startsWith('cancellationNotice'))).toHaveLength(1);
    await h.advance(HOUR);
    await h.setStatus(a.id, 'booked');
    const restored = h.sentOf('email').filter((m) => m.jobId.startsWith(`bookingConfirmation|${a.id}|restored@`));
    expect(restored).toHaveLength(1);
    expect(restored[0]!.body).toContain('19:00');
    expect((await h.job('reminder', a.id)).filter((j) => j.state === 'planned')).toHaveLength(2);
  });

  it('restoring after a silent cancellation confirms nothing again', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.change(a.id, () => ({ status: 'cancelled' }), { kind: 'statusChanged', from: 'booked', to: 'cancelled', notify: false });
    await h.setStatus(a.id, 'booked');
    expect(h.sentOf('email').filter((m) => m.jobId.includes('|restored@'))).toHaveLength(0);
  });
});

describe('repeat-visit invitations', () => {
  it('follow the client’s last visit for the service', async () => {
    h = await EngineHarness.create({ start: T0 });
    const first = await h.book(T0 + 2 * HOUR);
    await h.advance(3 * HOUR);
    await h.setStatus(first.id, 'arrived');
    await h.setStatus(first.id, 'completed');
    expect(await h.job('repeatVisit', first.id)).toMatchObject([{ state: 'planned' }]);
    await h.advance(7 * DAY);
    const second = await h.book(h.time.now() + 2 * HOUR);
    await h.advance(3 * HOUR);
    await h.setStatus(second.id, 'arrived');
    await h.setStatus(second.id, 'completed');
    expect(await h.job('repeatVisit', first.id)).toMatchObject([{ state: 'cancelled', reasonCode: 'repeatVisit.laterVisit', reasonParams: { startAt: second.startMs } }]);
    expect(await h.job('repeatVisit', second.id)).toMatchObject([{ state: 'planned' }]);
    // The later visit undone (mis-click): the earlier one is the last again.
    await h.setStatus(second.id, 'arrived');
    expect(await h.job('repeatVisit', first.id)).toMatchObject([{ state: 'planned' }]);
  });
});

describe('team events', () => {
  it('carry the facts of their change, so the desk renders them in its own language', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    await h.change(a.id, () => ({ staffId: 's2' }), { kind: 'reassigned', from: 's1', to: 's2' });
    await h.advance(MINUTE);
    await h.move(a.id, WED_19 - HOUR);
    const events = (await h.db.team_events.find({ sort: [{ atMs: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
    expect(events.map((e) => e.type)).toEqual(['newBooking', 'reschedule', 'reschedule']);
    expect(events[0]!.facts).toMatchObject({ clientName: 'Anna Petrova', startAt: WED_19, staffName: 'Sophie Wagner', serviceNames: ['Haircut'] });
    expect(events[1]!.facts).toMatchObject({ startAt: WED_19, staffName: 'Mila Novak', previousStaffName: 'Sophie Wagner' });
    expect(events[1]!.facts?.previousStartAt).toBeUndefined();
    expect(events[2]!.facts).toMatchObject({ startAt: WED_19 - HOUR, previousStartAt: WED_19 });
    // The stored text (toasts, old readers) is in the salon's language and names the specialist before.
    expect(events[1]!.body).toBe('Now Wed, 25 Nov 2026, 19:00 with Mila Novak (was Wed, 25 Nov 2026, 19:00 with Sophie Wagner), Haircut');
  });
});

describe('a visit made longer (resize on the grid)', () => {
  it('is no reschedule: no change alert, no reschedule toast, the reminders stay, one "length changed" center row', async () => {
    h = await EngineHarness.create();
    const a = await h.book(WED_19);
    const remindersBefore = (await h.job('reminder', a.id)).map((j) => `${j.id}:${j.state}:${j.dueAt}`);
    const sentBefore = h.allSent().length;
    await h.advance(MINUTE);
    const newEnd = WED_19 + HOUR + 30 * MINUTE;
    await h.change(a.id, () => ({ end: new Date(newEnd).toISOString() }), { kind: 'durationChanged', from: a.end, to: new Date(newEnd).toISOString() });
    await h.advance(CHANGE_SETTLE_MS + MINUTE);
    expect(await h.job('changeAlert', a.id)).toEqual([]);
    expect(h.allSent()).toHaveLength(sentBefore);
    expect(h.allSent().filter((m) => m.jobId.startsWith('reschedule'))).toEqual([]);
    expect((await h.job('reminder', a.id)).map((j) => `${j.id}:${j.state}:${j.dueAt}`)).toEqual(remindersBefore);
    const events = (await h.db.team_events.find({ sort: [{ atMs: 'asc' }] }).exec()).map((d) => d.toMutableJSON());
    expect(events.map((e) => e.type)).toEqual(['newBooking', 'durationChanged']);
    expect(events[1]!.facts).toMatchObject({ clientName: 'Anna Petrova', startAt: WED_19, endAt: newEnd, previousEndAt: WED_19 + HOUR, staffName: 'Sophie Wagner' });
    expect(events[1]!.facts?.previousStartAt).toBeUndefined();
    expect(events[1]!.body).toBe('Wed 25 Nov, now 19:00–20:30 (was 19:00–20:00) with Sophie Wagner. The start did not change.');
    expect(await h.jobs(events[1]!.id)).toEqual([]);
  });
});

describe('channel reasons', () => {
  it('say in codes why a channel was not used, and that a sandboxed message was not sent', async () => {
    h = await EngineHarness.create({ location: { sandboxMode: true }, settings: (s) => (s.type === 'bookingConfirmation' ? { ...s, channels: { ...s.channels, sms: { scenario: 'ifPreviousFailed', verdictWindowMinutes: 5 }, aggregatorPush: { scenario: 'always', verdictWindowMinutes: 5 } } } : s) });
    const a = await h.book(WED_19);
    const [confirmation] = await h.job('bookingConfirmation', a.id);
    const steps = Object.fromEntries((confirmation!.cascade ?? []).map((s) => [s.channel, s]));
    expect(steps.email).toMatchObject({ state: 'sandboxed', reasonCode: 'sandbox.notSent' });
    expect(steps.aggregatorPush).toMatchObject({ state: 'skipped', reasonCode: 'channel.noApp' });
    expect(steps.sms).toMatchObject({ state: 'skipped', reasonCode: 'channel.earlierSandboxed' });
    expect((await h.log()).filter((e) => e.reasonCode === 'channel.noApp')).toHaveLength(1);
  });
});
