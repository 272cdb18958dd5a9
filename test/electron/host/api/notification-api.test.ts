import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { DEMO_LOCATION_ID } from '../../../../shared/demo/demo-catalog.ts';
import type { NotificationSettings } from '../../../../shared/domain/notification-settings.ts';

let host: FrontDeskHost;
let running: MemoryHost;

beforeAll(async () => {
  running = await startMemoryHost('api', { demo: true });
  host = running.host;
}, 120_000);

afterAll(async () => {
  await running.stop();
});

async function reminderSettings(): Promise<NotificationSettings> {
  const result = await host.api.call('settings.list', { locationId: DEMO_LOCATION_ID });
  if (!result.ok) throw new Error(result.error.message);
  const settings = (result.value as { settings: NotificationSettings[] }).settings;
  return settings.find((s) => s.type === 'reminder')!;
}

describe('notification API on the demo salon', () => {
  it('lists the settings of every type, never the SMTP password', async () => {
    const result = await host.api.call('settings.list', { locationId: DEMO_LOCATION_ID });
    expect(result.ok && (result.value as { settings: unknown[] }).settings).toHaveLength(15);
    expect(JSON.stringify(result)).not.toMatch(/"pass"/);
  });

  it('refuses ifPreviousFailed on email, naming the field, and saves nothing', async () => {
    const before = await reminderSettings();
    const bad = { ...before, channels: { ...before.channels, email: { scenario: 'ifPreviousFailed', verdictWindowMinutes: 10 } } };
    const validated = await host.api.call('settings.validate', { settings: bad });
    expect(validated).toMatchObject({ ok: true, value: { issues: [{ field: 'reminder.channels.email' }] } });
    const saved = await host.api.call('settings.save', { settings: bad });
    expect(saved).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('reminder.channels.email') } });
    expect(await reminderSettings()).toEqual(before);
  });

  it('refuses an unknown placeholder in a template, naming it', async () => {
    const before = await reminderSettings();
    const templates = { ...before.templates, sms: { ...before.templates.sms, en: { body: 'See you {{tomorowTime}}' } } };
    const saved = await host.api.call('settings.save', { settings: { ...before, templates } });
    expect(saved).toMatchObject({ ok: false, error: { message: expect.stringContaining('tomorowTime') } });
    expect(await reminderSettings()).toEqual(before);
  });

  it('saves a valid change and re-plans', async () => {
    const before = await reminderSettings();
    const saved = await host.api.call('settings.save', { settings: { ...before, timing: { reminderOffsetsMinutes: [180] } } });
    expect(saved.ok).toBe(true);
    expect((await reminderSettings()).timing.reminderOffsetsMinutes).toEqual([180]);
  });

  it('previews a template against a real appointment with the SMS segment count', async () => {
    const result = await host.api.call('templates.preview', { locationId: DEMO_LOCATION_ID, type: 'reminder', channel: 'sms', language: 'en', template: { body: 'Hi {{clientFirstName}}, see you {{dateTime}} for {{services}}.' } });
    expect(result.ok).toBe(true);
    const value = result.ok ? (result.value as { body: string; sms: { segments: number }; issues: unknown[] }) : undefined;
    expect(value?.body).toMatch(/^Hi \S+, see you .+ for .+\.$/);
    expect(value?.sms.segments).toBeGreaterThanOrEqual(1);
    expect(value?.issues).toEqual([]);
  });

  it('lists jobs of an upcoming appointment and the sandboxed log', async () => {
    const { db } = host.runtime;
    const upcoming = await db.appointments.findOne({ selector: { startMs: { $gt: Date.now() + 3 * 3_600_000 }, status: 'booked' }, sort: [{ startMs: 'asc' }] }).exec();
    const jobs = await host.api.call('jobs.ofAppointment', { appointmentId: upcoming!.id });
    expect(jobs.ok && (jobs.value as { jobs: { type: string }[] }).jobs.some((j) => j.type === 'reminder')).toBe(true);
    const log = await host.api.call('log.list', { limit: 5 });
    expect(log.ok).toBe(true);
  });

  it('answers the notification center and marks events read', async () => {
    const list = await host.api.call('teamEvents.list', {});
    expect(list).toMatchObject({ ok: true, value: { unread: expect.any(Number) } });
    const refused = await host.api.call('teamEvents.markRead', { ids: [], by: 'desk' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('ids') } });
  });

  it('marks all read: every unread event up to the newest shown, beyond the list’s page too, and none newer', async () => {
    const { db } = host.runtime;
    const sample = (await db.team_events.findOne({ selector: { locationId: DEMO_LOCATION_ID }, sort: [{ atMs: 'desc' }] }).exec())!.toMutableJSON();
    const newestShown = sample.atMs;
    const base = newestShown - 3_600_000;
    // More unread events than the notification center's list shows (200), plus one after what the desk has seen.
    const seen = Array.from({ length: 260 }, (_, i) => ({ ...sample, id: `te-bulk-${i}`, atMs: base + i, at: new Date(base + i).toISOString(), read: false, readBy: [] }));
    const later = { ...sample, id: 'te-bulk-later', atMs: newestShown + 1, at: new Date(newestShown + 1).toISOString(), read: false, readBy: [] };
    await db.team_events.bulkInsert([...seen, later]);
    const before = await host.api.call('teamEvents.list', { locationId: DEMO_LOCATION_ID, unreadOnly: true, limit: 200 });
    const unreadBefore = before.ok ? (before.value as { unread: number }).unread : 0;
    expect(unreadBefore).toBeGreaterThan(260);

    const marked = await host.api.call('teamEvents.markAllRead', { locationId: DEMO_LOCATION_ID, upToMs: newestShown, by: 'desk-a' });
    expect(marked).toEqual({ ok: true, value: { updated: unreadBefore - 1 } });
    const after = await host.api.call('teamEvents.list', { locationId: DEMO_LOCATION_ID, unreadOnly: true, limit: 10 });
    expect(after).toMatchObject({ ok: true, value: { unread: 1, events: [{ id: 'te-bulk-later', read: false }] } });
    expect((await db.team_events.findOne('te-bulk-0').exec())?.toMutableJSON()).toMatchObject({ read: true, readBy: ['desk-a'] });

    const bad = await host.api.call('teamEvents.markAllRead', { upToMs: -1, by: 'desk-a' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringContaining('upToMs') } });
  });
});
