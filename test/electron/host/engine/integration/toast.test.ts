/**
 * Toast test: under a throwaway desktop (Xvfb, a private D-Bus session, the dunst notification daemon, dbus-monitor),
 * the whole host — FrontDeskHost, its runtime, the engine and the REAL desktop provider (node-notifier → notify-send)
 * — turns a cancellation into an OS notification: dbus-monitor sees a Notify call carrying the title of the
 * cancellation's team event. A new booking makes a team event but no toast (the default: toasts only for
 * cancellations and reschedules), and a specialist who does not want toasts gets none. Memory storage, real clock.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../../../../scripts/ensure-build.ts';
import { toastIconIn } from '../../../../../electron/host/toast-icon.ts';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';
import { startMemoryHost, type MemoryHost } from '../../support/memory-host.ts';
import type { Appointment } from '../../../../../shared/domain/appointment.ts';
import type { FrontDeskDatabase } from '../../../../../shared/domain/database-types.ts';
import type { TeamEvent } from '../../../../../shared/domain/team-event.ts';
import { desktopOccasion } from '../../../../../shared/engine/team-events.ts';
import { startDesktopSession, type DesktopSession } from '../../channels/support/desktop-session.ts';
import { DAY, allJobs, appointment, deliveryLog, isTerminal, salonClient, seedSalon, waitUntil } from './support/salon.ts';

const ENV_KEYS = ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS'] as const;
/** The icon the app's entries hand the host (toast-icon.ts), from the renderer's sources here. */
const TOAST_ICON = toastIconIn(path.join(projectRoot, 'renderer/public'));
const savedEnv = new Map<string, string | undefined>();
let session: DesktopSession;
let host: FrontDeskHost;
let db: FrontDeskDatabase;
let running: MemoryHost | undefined;
const hostLog: string[] = [];

beforeAll(async () => {
  session = await startDesktopSession();
  // The provider reads DISPLAY at readiness and notify-send inherits the bus address: both must be the session's.
  for (const key of ENV_KEYS) savedEnv.set(key, process.env[key]);
  process.env['DISPLAY'] = session.display;
  process.env['DBUS_SESSION_BUS_ADDRESS'] = session.busAddress;
  delete process.env['WAYLAND_DISPLAY'];
  running = await startMemoryHost('toast', { mode: 'electron', log: (line) => hostLog.push(line), toastIcon: TOAST_ICON });
  host = running.host;
  db = host.runtime.db;
  const now = Date.now();
  await seedSalon(db, { now, clients: [salonClient('c-toast', now, { firstName: 'Clara', lastName: 'Schmidt' })] });
}, 60_000);

afterAll(async () => {
  await running?.stop();
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await session?.stop();
});

async function cancel(id: string): Promise<void> {
  const doc = await db.appointments.findOne(id).exec();
  const at = new Date().toISOString();
  await doc!.incrementalPatch({ status: 'cancelled', history: [...doc!.history, { at, by: 'desk', kind: 'statusChanged', from: 'booked', to: 'cancelled' }], updatedAt: at });
}

async function teamEvent(appointmentId: string, type: TeamEvent['type']): Promise<TeamEvent> {
  return waitUntil(
    async () => (await db.team_events.find({ selector: { appointmentId, type } }).exec())[0]?.toMutableJSON(),
    10_000,
    async () => `no ${type} team event for ${appointmentId}; host log:\n${hostLog.join('\n')}`,
  );
}

const notifyCalls = () => (session.monitorOutput().match(/member=Notify/g) ?? []).length;

describe('desktop toast for a cancellation (Xvfb + D-Bus + dunst)', () => {
  it('shows an OS notification titled like the cancellation team event, for the specialist who wants toasts', async () => {
    const now = Date.now();
    const booking: Appointment = appointment('a-toast', 'c-toast', now + DAY, now, { staffId: 'st-sophie' });
    await db.appointments.insert(booking);
    // The booking itself: a team event, but no toast.
    const created = await teamEvent('a-toast', 'newBooking');
    expect(created.staffIds).toEqual(['st-sophie']);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await host.runtime.engine.idle();
    expect(notifyCalls()).toBe(0);

    await cancel('a-toast');
    const event = await teamEvent('a-toast', 'cancellation');
    expect(event.title.trim()).not.toBe('');
    expect(event.staffIds).toEqual(['st-sophie']);

    const output = await session.waitForMonitor(event.title, 15_000);
    expect(output).toContain('member=Notify');
    // The Notify call carries the title as the summary string, and the body of the team event.
    expect(output).toContain(`string "${event.title}"`);
    expect(output).toContain(event.body.trim().split('\n')[0]!);
    // …and the app's icon (Notify's app_icon), a file the notification daemon can read.
    expect(output).toContain(`string "${TOAST_ICON}"`);
    expect(notifyCalls()).toBe(1);

    const toast = await waitUntil(
      async () => (await allJobs(db)).find((j) => j.channel === 'desktop' && j.subjectId === event.id && isTerminal(j)),
      10_000,
      async () => JSON.stringify((await allJobs(db)).filter((j) => j.channel === 'desktop')),
    );
    expect(toast).toMatchObject({ state: 'delivered', occasion: desktopOccasion('st-sophie', host.runtime.sync.deskId), recipient: 'Sophie Wagner', type: 'cancellation' });
    const log = await deliveryLog(db, toast.id);
    expect(log.map((e) => e.status)).toEqual(['attempted', 'delivered']);
    expect(log[1]).toMatchObject({ channel: 'desktop', subject: event.title, recipient: 'Sophie Wagner' });
  });

  it('shows no toast when the specialist has desktop toasts turned off', async () => {
    const before = notifyCalls();
    const now = Date.now();
    await db.appointments.insert(appointment('a-quiet', 'c-toast', now + 2 * DAY, now, { staffId: 'st-mila' }));
    await teamEvent('a-quiet', 'newBooking');
    await cancel('a-quiet');
    const event = await teamEvent('a-quiet', 'cancellation');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await host.runtime.engine.idle();
    expect((await allJobs(db)).filter((j) => j.channel === 'desktop' && j.subjectId === event.id)).toEqual([]);
    expect(notifyCalls()).toBe(before);
  });
});
