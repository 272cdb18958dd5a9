/**
 * The incoming check on documents of the wrong shape from a peer: what the desk's own forms refuse is refused at the
 * boundary too, with a reason the quarantine shows; what the desk makes itself passes.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DELETED, Quarantine, incomingCheck } from '../../../../electron/host/sync/incoming.ts';
import { systemClock } from '../../../../electron/host/system-clock.ts';
import { jobId, type Job } from '../../../../shared/domain/job.ts';
import type { NotificationSettings } from '../../../../shared/domain/notification-settings.ts';
import { defaultNotificationSettings } from '../../../../shared/demo/default-settings.ts';
import { defaultTemplates } from '../../../../shared/notifications/templates/defaults.ts';
import { LOCATION_ID, appointment, salonClient, salonLocation } from '../engine/integration/support/salon.ts';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');

/** CouchDB's form of a FrontDesk document: `_id` instead of `id`. */
function couch<T extends { id: string }>(doc: T, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { id, ...rest } = doc;
  return { _id: id, _rev: '2-abc', ...rest, ...extra };
}

function code(collection: Parameters<typeof incomingCheck>[0], doc: unknown): string {
  const v = incomingCheck(collection, LOCATION_ID)(doc);
  return v.ok ? 'ok' : `${v.code} ${JSON.stringify(v.params ?? {})}`;
}

function verdict(collection: Parameters<typeof incomingCheck>[0], doc: unknown): string {
  const v = incomingCheck(collection, LOCATION_ID)(doc);
  return v.ok ? 'ok' : v.reason;
}

const settings = defaultNotificationSettings(LOCATION_ID, (type) => defaultTemplates(type), new Date(NOW).toISOString());
const confirmation = settings.find((s) => s.type === 'bookingConfirmation')!;

function withEmailTemplate(s: NotificationSettings, template: { subject: string; body: string }): NotificationSettings {
  const email = Object.fromEntries(Object.keys(s.templates.email ?? {}).map((language) => [language, template]));
  return { ...s, templates: { ...s.templates, email } };
}

describe('the incoming check refuses what the desk would refuse', () => {
  it('passes the desk’s own location and default settings', () => {
    expect(verdict('locations', couch(salonLocation(NOW)))).toBe('ok');
    for (const s of settings) expect(`${s.type}: ${verdict('notification_settings', couch(s))}`).toBe(`${s.type}: ok`);
  });

  it('refuses a location whose time zone, locale, currency or links the location form refuses', () => {
    const location = salonLocation(NOW);
    expect(verdict('locations', couch({ ...location, timeZone: 'Mars/Olympus' }))).toMatch(/unknown time zone Mars\/Olympus/);
    expect(code('locations', couch({ ...location, timeZone: 'Mars/Olympus' }))).toBe('sync.refused.location {"details":"unknown time zone Mars/Olympus"}');
    expect(verdict('locations', couch({ ...location, timeZone: ' Europe/Berlin' }))).toMatch(/unknown time zone/);
    expect(verdict('locations', couch({ ...location, locale: 'xx-!!' }))).toMatch(/unknown locale/);
    expect(verdict('locations', couch({ ...location, currency: 'QQQ' }))).toMatch(/unknown currency QQQ/);
    expect(verdict('locations', couch({ ...location, reviewUrl: 'javascript:alert(1)' }))).toMatch(/reviewUrl is not an http\(s\) web address/);
  });

  it('refuses settings with an unknown placeholder, a broken brace, or filed under another type', () => {
    expect(verdict('notification_settings', couch(withEmailTemplate(confirmation, { subject: 'Hi {{evil}}', body: 'See you' })))).toMatch(/unknown placeholder \{\{evil\}\}/);
    expect(verdict('notification_settings', couch(withEmailTemplate(confirmation, { subject: 'Hi', body: '{{clientFirstName}} {{ broken' })))).toMatch(/templates\.email\.\w+\.body/);
    expect(verdict('notification_settings', couch({ ...confirmation, id: `${LOCATION_ID}:reminder` }))).toMatch(/not as the bookingConfirmation settings/);
    expect(verdict('notification_settings', couch({ ...confirmation, audience: 'team' }))).toMatch(/audience team/);
  });

  it('refuses a job whose idempotency key is not its id (providers drop duplicates by it)', () => {
    const id = jobId({ type: 'reminder', subjectId: 'a1', occasion: '1440m@1', channel: 'cascade' });
    const job: Job = { id, locationId: LOCATION_ID, type: 'reminder', subjectKind: 'appointment', subjectId: 'a1', occasion: '1440m@1', channel: 'cascade', dueAt: NOW, state: 'planned', attempts: 0, idempotencyKey: id, createdAt: new Date(NOW).toISOString(), updatedAt: new Date(NOW).toISOString() };
    expect(verdict('jobs', couch(job))).toBe('ok');
    expect(code('jobs', couch({ ...job, idempotencyKey: `${id}-fresh` }))).toBe('sync.refused.inconsistent {"details":"the job idempotency key is not its id"}');
  });

  it('refuses (as before) a start in year 99999, a 1 MB name, a 5 MB template, and fields CouchDB adds on request', () => {
    const booking = appointment('a1', 'c1', NOW + 3_600_000, NOW);
    expect(verdict('appointments', couch({ ...booking, start: '+099999-01-01T10:00:00.000Z', startMs: 8.6e15 }))).not.toBe('ok');
    expect(verdict('clients', couch(salonClient('c1', NOW, { firstName: 'A'.repeat(1 << 20) })))).toMatch(/too large|firstName/);
    expect(verdict('notification_settings', couch(withEmailTemplate(confirmation, { subject: 'Hi', body: 'x'.repeat(5 << 20) })))).toMatch(/too large/);
    expect(code('notification_settings', couch(withEmailTemplate(confirmation, { subject: 'Hi', body: 'x'.repeat(5 << 20) })))).toMatch(/^sync\.refused\.tooLarge \{"bytes":\d{8},"max":524288\}$/);
    expect(verdict('appointments', couch(booking, { _revisions: { start: 10_000, ids: [] } }))).toMatch(/unexpected field _revisions/);
    expect(verdict('appointments', couch(booking, { _conflicts: ['1-a'] }))).toMatch(/unexpected field _conflicts/);
    expect(verdict('appointments', couch({ ...booking, id: 'a/b/ü' }))).toBe('ok');
  });
});

describe('the quarantine under a flood of refusals', () => {
  it('reports each revision once, forgets the oldest past its bound, and stops writing at the file cap', { timeout: 60_000 }, async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-quarantine-'));
    try {
      const quarantine = new Quarantine(dir, systemClock, () => undefined);
      // Deletions for ids this desk never had, as a hostile feed sends them: 60,000 distinct revisions.
      for (let i = 0; i < 60_000; i++) quarantine.add('clients', { _id: `ghost-${i}`, _rev: '2-x', _deleted: true }, DELETED);
      quarantine.add('clients', { _id: 'ghost-59999', _rev: '2-x', _deleted: true }, DELETED);
      expect(quarantine.count).toBe(60_000);
      // The first ones were forgotten (the memory of what was reported is bounded): seen again, they count again.
      quarantine.add('clients', { _id: 'ghost-0', _rev: '2-x', _deleted: true }, DELETED);
      expect(quarantine.count).toBe(60_001);
      expect(quarantine.recent()[0]).toMatchObject({ id: 'ghost-0', code: 'sync.refused.deleted' });
      await quarantine.flush();
      expect((await stat(path.join(dir, 'sync-quarantine.jsonl'))).size).toBeLessThanOrEqual(5 * 1024 * 1024);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
