/**
 * `settings.validate` / `settings.save` with the precise schema: the oversized documents that once froze the host
 * are refused by the schema's bounds at once with a small answer, domain rules are reported with codes, and a save
 * over a newer version is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FrontDeskHost } from '../../../../electron/host/host.ts';
import type { FrontDeskDatabase } from '../../../../shared/domain/database-types.ts';
import type { NotificationSettings } from '../../../../shared/domain/notification-settings.ts';
import { startMemoryHost, type MemoryHost } from '../support/memory-host.ts';
import { LOCATION_ID, call, issueKeys, seedBookingSalon } from './support/booking-salon.ts';

let running: MemoryHost;
let host: FrontDeskHost;
let db: FrontDeskDatabase;

beforeAll(async () => {
  running = await startMemoryHost('settings-commands');
  host = running.host;
  db = host.runtime.db;
  await seedBookingSalon(db, Date.now());
}, 60_000);

afterAll(async () => {
  await running.stop();
});

async function settingsOf(type: string): Promise<NotificationSettings> {
  return (await db.notification_settings.findOne(`${LOCATION_ID}:${type}`).exec())!.toMutableJSON();
}

describe('settings commands', () => {
  it('refuses the 1 MiB and 3.8 MiB documents at once with a small answer, and a template over its bound by schema', async () => {
    const before = await settingsOf('reminder');
    const mib = { ...before, templates: { ...before.templates, email: { en: { subject: 'Hi', body: 'x'.repeat(1 << 20) } } } };
    // 3.8 MiB spread over every template of every channel, the way the frame that crashed the host was built.
    const chunk = 'y'.repeat(330_000);
    const all = Object.fromEntries(['email', 'aggregatorPush', 'adminPush', 'brandedPush', 'sms', 'desktop'].map((c) => [c, { en: { subject: chunk, title: chunk, body: chunk }, ru: { body: chunk } }]));
    const huge = { ...before, templates: all };
    expect(JSON.stringify(huge).length).toBeGreaterThan(3.8 * (1 << 20));
    // Just over the schema's bound for a body, well under the router's size limit: the schema names the field.
    const long = { ...before, templates: { ...before.templates, sms: { en: { body: 'z'.repeat(20_001) } } } };
    const cases = [
      [mib, 'too_large', undefined],
      [huge, 'too_large', undefined],
      [long, 'invalid_request', 'request.tooLong@settings.templates.sms.en.body'],
    ] as const;
    for (const [settings, code, issue] of cases) {
      for (const channel of ['settings.validate', 'settings.save']) {
        const started = performance.now();
        const result = await call(host, channel, { settings });
        const elapsed = performance.now() - started;
        expect(result).toMatchObject({ ok: false, error: { code } });
        if (issue) expect(issueKeys(result)).toEqual([issue]);
        // The frames that froze the event loop for 10 s and 48 s: refused before any work on their content.
        expect(elapsed).toBeLessThan(1_000);
        expect(JSON.stringify(result).length).toBeLessThan(20_000);
      }
    }
    expect(await settingsOf('reminder')).toEqual(before);
  });

  it('refuses unknown fields and shapes anywhere in the document', async () => {
    const before = await settingsOf('reminder');
    const nested = { ...before, timing: { ...before.timing, extra: { a: { b: { c: 1 } } } } };
    expect(issueKeys(await call(host, 'settings.save', { settings: nested }))).toEqual(['request.invalid@settings.timing']);
    // A prototype key as a JSON frame carries it (an own property) is refused before any schema sees it.
    const proto: unknown = JSON.parse(`{"settings": ${JSON.stringify(before).replace(/^\{/, '{"__proto__": {"polluted": true},')}}`);
    expect(await call(host, 'settings.save', proto)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(issueKeys(await call(host, 'settings.save', { settings: { ...before, channels: { ...before.channels, fax: { scenario: 'always', verdictWindowMinutes: 0 } } } }))).toEqual(['request.invalid@settings.channels']);
  });

  it('reports domain rules with codes and fields: scenarios, audience channels, duplicate reminders, the document id', async () => {
    const reminder = await settingsOf('reminder');
    const invalid = {
      ...reminder,
      enabled: false,
      channels: { ...reminder.channels, email: { scenario: 'ifPreviousFailed', verdictWindowMinutes: 10 }, desktop: { scenario: 'always', verdictWindowMinutes: 0 } },
      timing: { reminderOffsetsMinutes: [120, 120] },
    };
    const validated = await call(host, 'settings.validate', { settings: invalid });
    expect(validated.ok && (validated.value as { issues: { code: string; field: string }[] }).issues.map((i) => `${i.code}@${i.field}`)).toEqual([
      'settings.channel.notForType@reminder.channels.desktop',
      'settings.scenario.notAllowed@reminder.channels.email',
      'settings.reminders.duplicate@reminder.timing.reminderOffsetsMinutes[1]',
    ]);
    const placeholder = await call(host, 'settings.validate', { settings: { ...reminder, templates: { ...reminder.templates, sms: { ...reminder.templates.sms, en: { body: 'See you {{tomorowTime}}' } } } } });
    expect(placeholder).toMatchObject({ ok: true, value: { issues: [{ code: 'settings.template.placeholder', field: 'reminder.templates.sms.en.body', params: { names: '{{tomorowTime}}' } }] } });
    const saved = await call(host, 'settings.save', { settings: { ...invalid, id: `${LOCATION_ID}:winBack` } });
    expect(saved).toMatchObject({ ok: false, error: { code: 'invalid_request', reason: 'settings.invalid' } });
    expect(issueKeys(saved)[0]).toBe('settings.id.mismatch@id');
    expect(await settingsOf('reminder')).toEqual(reminder);
  });

  it('refuses an enabled client type with every channel off (it would send nothing); off, or a team type, is fine', async () => {
    const reminder = await settingsOf('reminder');
    const silent = { ...reminder, channels: Object.fromEntries(Object.entries(reminder.channels).map(([c, s]) => [c, { ...s, scenario: 'off' }])) };
    const validated = await call(host, 'settings.validate', { settings: silent });
    expect(validated).toMatchObject({ ok: true, value: { issues: [{ code: 'settings.channels.allOff', field: 'reminder.channels' }] } });
    expect(issueKeys(await call(host, 'settings.save', { settings: silent }))).toEqual(['settings.channels.allOff@reminder.channels']);
    expect(await call(host, 'settings.validate', { settings: { ...silent, enabled: false } })).toMatchObject({ ok: true, value: { issues: [] } });
    const team = await settingsOf('newBooking');
    const quiet = { ...team, channels: Object.fromEntries(Object.entries(team.channels).map(([c, s]) => [c, { ...s, scenario: 'off' }])), templates: {} };
    expect(await call(host, 'settings.validate', { settings: quiet })).toMatchObject({ ok: true, value: { issues: [] } });
    expect(await settingsOf('reminder')).toEqual(reminder);
  });

  it('saves a valid change, and refuses a save over a newer version', async () => {
    const seen = await settingsOf('reminder');
    const first = await call(host, 'settings.save', { settings: { ...seen, timing: { reminderOffsetsMinutes: [1440, 60] } } });
    expect(first.ok).toBe(true);
    const now = await settingsOf('reminder');
    expect(now.timing.reminderOffsetsMinutes).toEqual([1440, 60]);
    expect(now.updatedAt).not.toBe(seen.updatedAt);
    const stale = await call(host, 'settings.save', { settings: { ...seen, enabled: false } });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', reason: 'settings.changedElsewhere' } });
    expect(await settingsOf('reminder')).toEqual(now);
  });
});
