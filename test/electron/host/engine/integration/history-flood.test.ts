/**
 * A peer's booking whose history holds 200 made-up "moved" changes of the last few hours, in one revision — written
 * straight into a whole host's database, as replication writes it, with a recording desktop provider. The desk writes
 * one change per edit; every fresh change became a team event, so the specialist saw 200 toasts (and, with staff SMS
 * set to always, would have been sent 200 texts). Only the visit's latest changes are news for the team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import type { AppointmentChange } from '../../../../../shared/domain/appointment.ts';
import type { OutgoingMessage } from '../../../../../shared/engine/provider.ts';
import { MAX_TEAM_EVENTS_PER_VISIT } from '../../../../../shared/engine/team-events.ts';
import { startRecordingHost, type RecordingHost } from './support/recording-host.ts';
import { DAY, MINUTE, appointment, salonClient, seedSalon, waitUntil } from './support/salon.ts';

let salon: RecordingHost | undefined;
let host: FrontDeskHost;
let toasts: OutgoingMessage[];

beforeAll(async () => {
  salon = await startRecordingHost('history-flood', async (db, smtpPort) => {
    const now = Date.now();
    await seedSalon(db, { now, smtpPort, clients: [salonClient('c1', now)] });
  });
  ({ host, toasts } = salon);
}, 60_000);

afterAll(async () => {
  await salon?.stop();
});

describe('a booking with a flood of fresh changes in its history', () => {
  it('tells the team of its latest changes only', { timeout: 60_000 }, async () => {
    const now = Date.now();
    const start = now + 3 * DAY;
    const iso = (ms: number) => new Date(ms).toISOString();
    const history: AppointmentChange[] = [{ at: iso(now - 300 * MINUTE), by: 'desk', kind: 'created' }];
    for (let i = 200; i > 0; i--) history.push({ at: iso(now - i * MINUTE), by: 'sync', kind: 'moved', from: iso(start - 2 * 60 * MINUTE), to: iso(start) });
    await host.runtime.db.appointments.insert(appointment('flood', 'c1', start, now, { history, createdAt: history[0]!.at }));

    await waitUntil(async () => (toasts.length >= MAX_TEAM_EVENTS_PER_VISIT ? true : undefined), 30_000, () => `${toasts.length} toasts`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await host.runtime.engine.idle();

    const events = await host.runtime.db.team_events.find({ selector: { appointmentId: 'flood' } }).exec();
    expect(events).toHaveLength(MAX_TEAM_EVENTS_PER_VISIT);
    expect(toasts).toHaveLength(MAX_TEAM_EVENTS_PER_VISIT);
    // The latest ones: the last change of the history is among them.
    expect(events.map((event) => event.at)).toContain(history.at(-1)!.at);
  });
});
