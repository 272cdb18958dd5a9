/**
 * The desktop provider through the real path: node-notifier → notify-send → D-Bus → a notification daemon,
 * under Xvfb, with dbus-monitor as the witness. Needs xvfb, dbus, dunst and libnotify-bin; without them the
 * suite fails and says what to install.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../../shared/engine/provider.ts';
import { createDesktopProvider } from '../../../../electron/host/channels/desktop-provider.ts';
import { startDesktopSession, type DesktopSession } from './support/desktop-session.ts';

const ENV_KEYS = ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS', 'PATH'] as const;

function toast(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    jobId: 'team|appt-42|cancelled|desktop',
    idempotencyKey: 'team|appt-42|cancelled|desktop',
    channel: 'desktop',
    locationId: 'loc-1',
    recipient: { staffId: 'staff-7', name: 'Maria' },
    subject: 'Cancelled: Anna Petrova, Tue 14:30',
    body: 'Haircut with Maria was cancelled online',
    clickTarget: { appointmentId: 'appt-42' },
    ...overrides,
  };
}

describe('desktop toasts under Xvfb + D-Bus + dunst', () => {
  let session: DesktopSession;
  const savedEnv = new Map<string, string | undefined>();

  beforeAll(async () => {
    session = await startDesktopSession();
    for (const key of ENV_KEYS) savedEnv.set(key, process.env[key]);
    // node-notifier's notify-send child inherits this process's environment.
    process.env['DISPLAY'] = session.display;
    process.env['DBUS_SESSION_BUS_ADDRESS'] = session.busAddress;
    delete process.env['WAYLAND_DISPLAY'];
  }, 30_000);

  afterAll(async () => {
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await session?.stop();
  }, 15_000);

  it('shows a cancellation toast: a Notify call with the title, body, app name and the timeout in ms', { timeout: 20_000 }, async () => {
    const clicks: unknown[] = [];
    const provider = createDesktopProvider({ onClick: (target) => clicks.push(target) });
    expect(provider.readiness('loc-1')).toEqual({ ready: true });

    const outcome = await provider.send(toast());
    expect(outcome).toMatchObject({ status: 'delivered' });

    const output = await session.waitForMonitor('string "Cancelled: Anna Petrova, Tue 14:30"', 10_000);
    const call = output.slice(output.lastIndexOf('member=Notify'));
    expect(call).toContain('string "FrontDesk"');
    expect(call).toContain('string "Haircut with Maria was cancelled online"');
    // timeoutSeconds defaults to 10; node-notifier hands notify-send milliseconds.
    expect(call).toMatch(/int32 10000\b/);
    // notify-send cannot report clicks, so the provider must not pretend to.
    expect(provider.reportsClicks).toBe(false);
    expect(clicks).toEqual([]);
  });

  it('passes shell metacharacters through literally (node-notifier runs notify-send via a shell)', { timeout: 20_000 }, async () => {
    const provider = createDesktopProvider({ appName: 'FrontDesk Test', timeoutSeconds: 3 });
    const title = 'Moved: O\'Neil "VIP" $HOME `id` 10:00';
    const outcome = await provider.send(toast({ subject: title, body: 'now at 11:00; was $(date)' }));
    expect(outcome).toMatchObject({ status: 'delivered' });
    const output = await session.waitForMonitor('O\'Neil', 10_000);
    const call = output.slice(output.lastIndexOf('member=Notify'));
    expect(call).toContain(title);
    expect(call).toContain('now at 11:00; was $(date)');
    expect(call).toContain('string "FrontDesk Test"');
    expect(call).toMatch(/int32 3000\b/);
  });

  it('fails with a readable reason when the session bus is unreachable', { timeout: 20_000 }, async () => {
    const provider = createDesktopProvider();
    process.env['DBUS_SESSION_BUS_ADDRESS'] = 'unix:path=/nonexistent/frontdesk-test-bus';
    try {
      const outcome = await provider.send(toast({ subject: 'Should not appear' }));
      expect(outcome).toEqual({
        status: 'failed',
        permanent: false,
        reason: 'The desktop session bus (D-Bus) is not reachable, so the toast could not be shown',
      });
    } finally {
      process.env['DBUS_SESSION_BUS_ADDRESS'] = session.busAddress;
    }
    expect(session.monitorOutput()).not.toContain('Should not appear');
  });

  it('is not ready without a display, or without notify-send, and then does not try', async () => {
    const provider = createDesktopProvider();
    process.env['DISPLAY'] = '';
    try {
      const reason = 'No graphical desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)';
      expect(provider.readiness('loc-1')).toEqual({ ready: false, reason });
      expect(await provider.send(toast())).toEqual({ status: 'notTried', reason });
    } finally {
      process.env['DISPLAY'] = session.display;
    }
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent-bin';
    try {
      expect(provider.readiness('loc-1')).toEqual({
        ready: false,
        reason: 'No notification service on this desktop (notify-send missing) — install libnotify-bin',
      });
    } finally {
      process.env['PATH'] = path;
    }
    expect(provider.readiness('loc-1')).toEqual({ ready: true });
  });
});
