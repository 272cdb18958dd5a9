import { afterEach, describe, expect, it } from 'vitest';
import { NotificationEngine } from '../../../../electron/host/engine/notification-engine.ts';
import { DAY, EngineHarness, HOUR, MINUTE, T0, client } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

/** 15:00 in Berlin on the test's Monday: reminders 2 h before fall outside quiet hours. */
const AFTERNOON = T0 + 5 * HOUR;

const states = (jobs: { type: string; occasion: string; state: string }[]) => jobs.map((j) => `${j.type}:${j.occasion.split('@')[0]}:${j.state}`);

describe('appointment lifecycle', () => {
  it('a booking gets its confirmation at once and reminders 24 h and 2 h before', async () => {
    h = await EngineHarness.create();
    const start = AFTERNOON + 3 * DAY;
    const a = await h.book(start);
    expect(h.sentOf('email')).toHaveLength(1);
    expect(h.sentOf('email')[0]!.jobId).toBe(`bookingConfirmation|${a.id}|booked|cascade`);
    expect(h.sentOf('email')[0]!.subject).toContain('Lumière Beauty Studio');
    expect(h.sentOf('email')[0]!.body).toContain('Haircut');
    const reminders = await h.job('reminder', a.id);
    expect(reminders.map((j) => [j.dueAt, j.state])).toEqual([[start - 24 * HOUR, 'planned'], [start - 2 * HOUR, 'planned']]);
    await h.advance(start - T0 - 2 * HOUR + MINUTE);
    expect(h.sentOf('email').map((m) => m.subject)).toHaveLength(3);
    expect(states(await h.job('reminder', a.id))).toEqual(['reminder:1440m:delivered', 'reminder:120m:delivered']);
    const log = await h.log();
    expect(log.filter((e) => e.status === 'delivered' && e.type === 'reminder')).toHaveLength(2);
  });

  it('moving a booking cancels the old reminders, plans new ones and sends a change alert', async () => {
    h = await EngineHarness.create();
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.move(a.id, AFTERNOON + 5 * DAY);
    const reminders = await h.job('reminder', a.id);
    expect(reminders.filter((j) => j.state === 'cancelled').map((j) => j.reason)).toEqual([expect.stringContaining('moved to'), expect.stringContaining('moved to')]);
    expect(reminders.filter((j) => j.state === 'planned').map((j) => j.dueAt)).toEqual([AFTERNOON + 5 * DAY - 24 * HOUR, AFTERNOON + 5 * DAY - 2 * HOUR]);
    // The alert waits for the edits to settle, then goes once.
    expect(h.sentOf('email').find((m) => m.jobId.startsWith('changeAlert'))).toBeUndefined();
    await h.advance(2 * MINUTE);
    expect(h.sentOf('email').filter((m) => m.jobId.startsWith('changeAlert'))).toHaveLength(1);
    await h.advance(6 * DAY);
    const sentReminders = h.sentOf('email').filter((m) => m.jobId.startsWith('reminder'));
    expect(sentReminders.map((m) => m.jobId)).toEqual([expect.stringContaining(`@${AFTERNOON + 5 * DAY}`), expect.stringContaining(`@${AFTERNOON + 5 * DAY}`)]);
  });

  it('moving a booking back revives its reminders, and they go out', async () => {
    h = await EngineHarness.create();
    const a = await h.book(AFTERNOON + 3 * DAY);
    await h.move(a.id, AFTERNOON + 4 * DAY);
    await h.move(a.id, AFTERNOON + 3 * DAY);
    const planned = (await h.job('reminder', a.id)).filter((j) => j.state === 'planned');
    expect(planned.map((j) => j.dueAt)).toEqual([AFTERNOON + 2 * DAY, AFTERNOON + 3 * DAY - 2 * HOUR]);
    await h.advance(3 * DAY + 5 * HOUR);
    expect(h.sentOf('email').filter((m) => m.jobId.startsWith('reminder'))).toHaveLength(2);
  });

  it('turning reminders off and on again plans them again', async () => {
    h = await EngineHarness.create();
    const a = await h.book(AFTERNOON + 3 * DAY);
    const doc = await h.db.notification_settings.findOne('loc1:reminder').exec();
    await doc!.incrementalPatch({ enabled: false });
    await h.settle();
    expect((await h.job('reminder', a.id)).every((j) => j.state === 'cancelled')).toBe(true);
    await doc!.incrementalPatch({ enabled: true });
    await h.settle();
    expect((await h.job('reminder', a.id)).map((j) => j.state)).toEqual(['planned', 'planned']);
  });

  it('cancelling sends the cancellation notice and nothing stale after it', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * DAY);
    await h.setStatus(a.id, 'cancelled');
    expect(h.sentOf('email').map((m) => m.jobId.split('|')[0])).toEqual(['bookingConfirmation', 'cancellationNotice']);
    expect(states(await h.job('reminder', a.id))).toEqual(['reminder:1440m:cancelled', 'reminder:120m:cancelled']);
    await h.advance(3 * DAY + HOUR);
    const types = h.allSent().map((m) => m.jobId.split('|')[0]);
    expect(types.filter((t) => t === 'reminder' || t === 'changeAlert')).toEqual([]);
  });

  it('a booking made inside the reminder window skips that reminder with the reason', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * HOUR);
    const reminders = await h.job('reminder', a.id);
    // "Was due" of the skipped reminder is its own time (24 h before the start), not the booking time.
    expect(reminders.find((j) => j.occasion.startsWith('1440m'))).toMatchObject({
      state: 'skipped', reasonCode: 'reminder.pastAtBooking', reasonParams: { minutes: 1440 }, reason: expect.stringContaining('had already passed'), dueAt: T0 + 3 * HOUR - 24 * HOUR,
    });
    expect(reminders.find((j) => j.occasion.startsWith('120m'))).toMatchObject({ state: 'planned', dueAt: T0 + HOUR });
    expect((await h.log()).some((e) => e.status === 'skipped' && e.reasonCode === 'reminder.pastAtBooking')).toBe(true);
  });

  it('a reminder is never sent after the start: catch-up after downtime expires it with the reason', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * DAY);
    await h.engine.stop();
    const emailsBefore = h.sentOf('email').length;
    // The desk was off for four days.
    await h.time.advance(4 * DAY, async () => {});
    h.engine = new NotificationEngine({ db: h.db, clock: h.time, timers: h.time, provider: (c) => h.providers[c] });
    await h.engine.start();
    await h.settle();
    expect(h.sentOf('email').length).toBe(emailsBefore);
    const reminders = await h.job('reminder', a.id);
    expect(reminders.every((j) => j.state === 'expired' && j.reason?.includes('started'))).toBe(true);
  });

  /** Stops the engine, lets `ms` pass with the desk off, and starts a new engine on the same database. */
  async function deskOffFor(ms: number): Promise<void> {
    await h.engine.stop();
    await h.time.advance(ms, async () => {});
    h.engine = new NotificationEngine({ db: h.db, clock: h.time, timers: h.time, provider: (c) => h.providers[c] });
    await h.engine.start();
    await h.settle();
  }

  it('a desk off through both reminder times of a visit sends the client only the later one, and says why not the other', async () => {
    h = await EngineHarness.create();
    const start = AFTERNOON + 3 * DAY;
    const a = await h.book(start);
    const emailsBefore = h.sentOf('email').length;
    // Switched on 90 min before the visit: the day-before reminder is 22.5 h late, the 2 h one 30 min late.
    await deskOffFor(start - T0 - 90 * MINUTE);
    expect(h.sentOf('email').slice(emailsBefore).map((m) => m.jobId)).toEqual([`reminder|${a.id}|120m@${start}|cascade`]);
    const dayBefore = (await h.job('reminder', a.id)).find((j) => j.occasion.startsWith('1440m'));
    expect(dayBefore).toMatchObject({ state: 'expired', reasonCode: 'reminder.superseded', reasonParams: { dueAt: start - 24 * HOUR, minutes: 120, nextAt: start - 2 * HOUR } });
    expect((await h.log()).some((e) => e.jobId === dayBefore?.id && e.status === 'expired' && e.reasonCode === 'reminder.superseded')).toBe(true);
  });

  it('a late reminder still goes when the visit\'s next reminder is hours away', async () => {
    h = await EngineHarness.create();
    const start = AFTERNOON + 3 * DAY;
    const a = await h.book(start);
    const emailsBefore = h.sentOf('email').length;
    // Switched on 6 h before the visit: the day-before reminder is 18 h late, the 2 h one 4 h ahead.
    await deskOffFor(start - T0 - 6 * HOUR);
    expect(h.sentOf('email').slice(emailsBefore).map((m) => m.jobId)).toEqual([`reminder|${a.id}|1440m@${start}|cascade`]);
    await h.advance(4 * HOUR + MINUTE);
    expect(states(await h.job('reminder', a.id))).toEqual(['reminder:1440m:delivered', 'reminder:120m:delivered']);
  });

  it('reminders the salon set 20 min apart both go when on time', async () => {
    h = await EngineHarness.create();
    const doc = await h.db.notification_settings.findOne('loc1:reminder').exec();
    await doc!.incrementalPatch({ timing: { reminderOffsetsMinutes: [120, 100] } });
    const start = AFTERNOON + 3 * DAY;
    const a = await h.book(start);
    await h.advance(start - T0 - 100 * MINUTE + MINUTE);
    expect(states(await h.job('reminder', a.id))).toEqual(['reminder:120m:delivered', 'reminder:100m:delivered']);
  });

  it('completing a visit plans a review request after the delay, and skips it when the client already reviewed', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + HOUR);
    await h.advance(2 * HOUR);
    await h.setStatus(a.id, 'completed');
    const [review] = await h.job('reviewRequest', a.id);
    expect(review).toMatchObject({ state: 'planned', dueAt: h.time.now() + 2 * HOUR });
    const b = await h.book(T0 + 2 * DAY, { id: 'b1' });
    await h.advance(2 * DAY + HOUR);
    await h.setStatus(b.id, 'completed');
    await h.change(b.id, () => ({ reviewLeft: true }), { kind: 'notesChanged' });
    await h.advance(3 * HOUR);
    expect(h.sentOf('email').filter((m) => m.jobId.startsWith(`reviewRequest|${a.id}`))).toHaveLength(1);
    expect(h.sentOf('email').filter((m) => m.jobId.startsWith(`reviewRequest|${b.id}`))).toHaveLength(0);
  });

  it('a visit of only excluded services gets no review request', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + HOUR, { serviceIds: ['svc2'] });
    await h.advance(2 * HOUR);
    await h.setStatus(a.id, 'completed');
    expect(await h.job('reviewRequest', a.id)).toMatchObject([{ state: 'skipped', reason: expect.stringContaining('excluded') }]);
  });

  it('win-back goes out 3 days after a no-show, but not when the client has booked again', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + HOUR);
    const b = await h.book(T0 + 2 * HOUR, { id: 'b1' });
    await h.advance(3 * HOUR);
    await h.setStatus(a.id, 'noShow');
    await h.advance(3 * DAY + MINUTE);
    expect(await h.job('winBack', a.id)).toMatchObject([{ state: 'delivered' }]);
    await h.setStatus(b.id, 'cancelled');
    await h.book(T0 + 10 * DAY, { id: 'future' });
    await h.advance(3 * DAY + 12 * HOUR);
    expect(await h.job('winBack', b.id)).toMatchObject([{ state: 'skipped', reason: expect.stringContaining('future booking') }]);
  });
});

describe('the cascade', () => {
  it('falls back to SMS when email is rejected', async () => {
    h = await EngineHarness.create();
    h.providers.email.script = () => ({ status: 'failed', reason: '550 5.1.1 mailbox unavailable', permanent: true });
    const a = await h.book(T0 + 3 * DAY);
    expect(h.sentOf('sms')).toHaveLength(1);
    const [confirmation] = await h.job('bookingConfirmation', a.id);
    expect(confirmation!.cascade!.map((s) => `${s.channel}:${s.state}`)).toEqual(['email:failed', 'aggregatorPush:skipped', 'brandedPush:skipped', 'sms:delivered']);
    expect(confirmation!.state).toBe('delivered');
  });

  it('uses SMS when the client has no email, and the branded app before SMS when installed', async () => {
    h = await EngineHarness.create({ clients: [client({ email: undefined, apps: { aggregator: false, brandedPushTokens: ['tok'] } })] });
    await h.book(T0 + 3 * DAY);
    expect(h.sentOf('brandedPush')).toHaveLength(1);
    expect(h.sentOf('sms')).toHaveLength(0);
  });

  it('treats a provider that is not configured as could-not-be-tried', async () => {
    h = await EngineHarness.create();
    h.providers.email.notConfigured = 'Email (SMTP) is not configured for this location';
    const a = await h.book(T0 + 3 * DAY);
    const [confirmation] = await h.job('bookingConfirmation', a.id);
    expect(confirmation!.cascade!.find((s) => s.channel === 'email')).toMatchObject({ state: 'skipped', reason: expect.stringContaining('not configured') });
    expect(h.sentOf('sms')).toHaveLength(1);
  });

  it('waits for the verdict window before falling back, then decides by the last known status', async () => {
    h = await EngineHarness.create({ clients: [client({ email: undefined, apps: { aggregator: false, brandedPushTokens: ['tok'] } })] });
    h.providers.brandedPush.script = () => ({ status: 'accepted', providerMessageId: 'p1' });
    const a = await h.book(T0 + 3 * DAY);
    let [confirmation] = await h.job('bookingConfirmation', a.id);
    expect(confirmation).toMatchObject({ state: 'sent', dueAt: T0 + 5 * MINUTE });
    await h.advance(6 * MINUTE);
    [confirmation] = await h.job('bookingConfirmation', a.id);
    // In flight when the window closed: counts as delivered, so SMS is not sent on top of it.
    expect(confirmation!.state).toBe('delivered');
    expect(h.sentOf('sms')).toHaveLength(0);
  });

  it('sends nothing in sandbox mode, but logs every message with its full text', async () => {
    h = await EngineHarness.create({ location: { sandboxMode: true } });
    const a = await h.book(T0 + 3 * DAY);
    expect(h.allSent().filter((m) => m.channel !== 'desktop')).toHaveLength(0);
    const [confirmation] = await h.job('bookingConfirmation', a.id);
    expect(confirmation!.state).toBe('sandboxed');
    const entry = (await h.log()).find((e) => e.status === 'sandboxed');
    expect(entry).toMatchObject({ channel: 'email', recipient: 'anna@example.com', subject: expect.any(String), body: expect.stringContaining('Haircut') });
  });
});

describe('timing', () => {
  it('quiet hours move a reminder to their end, unless that is past the start', async () => {
    // Wed 25 Nov 22:30 Berlin: the 24 h reminder falls on Tue 22:30, inside 21:00–09:00, and moves to Wed 09:00.
    h = await EngineHarness.create();
    const late = await h.book(Date.parse('2026-11-25T21:30:00.000Z'));
    const [r24, r2] = await h.job('reminder', late.id);
    expect(r24!.dueAt).toBe(Date.parse('2026-11-25T08:00:00.000Z'));
    expect(r2!.dueAt).toBe(Date.parse('2026-11-25T19:30:00.000Z'));
    // Thu 26 Nov 08:00 Berlin: the 2 h reminder at 06:00 cannot move to 09:00 (after the start): it keeps 06:00.
    const early = await h.book(Date.parse('2026-11-26T07:00:00.000Z'), { id: 'early' });
    const reminders = await h.job('reminder', early.id);
    expect(reminders.find((j) => j.occasion.startsWith('120m'))!.dueAt).toBe(Date.parse('2026-11-26T05:00:00.000Z'));
  });

  it.each([
    ['Europe/Berlin', '2026-03-29T01:30:00.000Z', '2026-03-28T23:30:00.000Z'],
    ['America/New_York', '2026-11-01T07:30:00.000Z', '2026-11-01T05:30:00.000Z'],
  ])('a 2 h reminder across the DST night in %s is two elapsed hours', async (timeZone, start, expected) => {
    h = await EngineHarness.create({ location: { timeZone, quietHours: { enabled: false, start: '21:00', end: '09:00' } }, start: Date.parse(start) - 3 * DAY });
    const a = await h.book(Date.parse(start));
    const r2 = (await h.job('reminder', a.id)).find((j) => j.occasion.startsWith('120m'));
    expect(r2!.dueAt).toBe(Date.parse(expected));
  });

  it.each([
    ['Europe/Berlin', '1990-04-02', '2026-03-10T09:00:00.000Z', '2026-03-26T09:00:00.000Z'],
    ['America/New_York', '1985-11-03', '2026-10-01T12:00:00.000Z', '2026-10-27T14:00:00.000Z'],
  ])('a birthday greeting 7 days before at 10:00 is wall-clock time in %s across DST', async (timeZone, birthday, now, expected) => {
    h = await EngineHarness.create({ location: { timeZone }, start: Date.parse(now), clients: [client({ birthday })] });
    expect(await h.job('birthdayGreeting', 'c1')).toMatchObject([{ dueAt: Date.parse(expected), state: 'planned', occasion: `birthday@${now.slice(0, 4)}` }]);
  });

  it('a settings change re-plans pending reminders', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * DAY);
    const doc = await h.db.notification_settings.findOne('loc1:reminder').exec();
    await doc!.incrementalPatch({ timing: { reminderOffsetsMinutes: [60] } });
    await h.settle();
    const reminders = await h.job('reminder', a.id);
    expect(states(reminders)).toEqual(['reminder:1440m:cancelled', 'reminder:120m:cancelled', 'reminder:60m:planned']);
    expect(reminders[0]!.reason).toContain('settings changed');
  });
});

describe('exactly once and the team side', () => {
  it('a job found in sending after a crash is marked uncertain and never resent', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * DAY);
    const [reminder] = await h.job('reminder', a.id);
    await h.engine.stop();
    await h.db.jobs.upsert({ ...reminder!, state: 'sending', attempts: 1, cascade: [{ channel: 'email', scenario: 'always', state: 'sending', at: h.iso(T0) }] });
    const before = h.sentOf('email').length;
    h.engine = new NotificationEngine({ db: h.db, clock: h.time, timers: h.time, provider: (c) => h.providers[c] });
    await h.engine.start();
    await h.advance(3 * DAY);
    const [after] = await h.job('reminder', a.id);
    expect(after).toMatchObject({ state: 'uncertain' });
    expect(h.sentOf('email').filter((m) => m.jobId === reminder!.id)).toHaveLength(0);
    expect(h.sentOf('email').length).toBeGreaterThan(before);
    expect((await h.log()).some((e) => e.status === 'uncertain' && e.jobId === reminder!.id)).toBe(true);
  });

  it('replanning the same appointment twice writes no second job', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * DAY);
    const before = await h.jobs(a.id);
    await h.engine.replanAppointment(a.id);
    await h.engine.replanEverything();
    expect(await h.jobs(a.id)).toEqual(before);
  });

  it('a cancellation becomes a team event and a desktop toast for the specialist who wants toasts', async () => {
    h = await EngineHarness.create();
    const a = await h.book(T0 + 3 * DAY);
    await h.setStatus(a.id, 'cancelled');
    const events = (await h.db.team_events.find().exec()).map((d) => d.toMutableJSON());
    expect(events.map((e) => e.type).sort()).toEqual(['cancellation', 'newBooking']);
    expect(h.sentOf('desktop')).toHaveLength(1);
    expect(h.sentOf('desktop')[0]).toMatchObject({ subject: expect.stringMatching(/cancel/i), clickTarget: { appointmentId: a.id } });
  });
});
