/**
 * Settings → Sync and the status badge against the real web host and a CouchDB-compatible server on loopback
 * (set up with per-desk users and `_security` as the README describes):
 * - "Test connection" says clearly what is wrong: nothing listening, a server that is not CouchDB, a wrong password, a
 *   location whose databases do not exist — and, once right, every check passes;
 * - saved and turned on, the badge goes from "Local only" to "Synced", and the status card says this desk sends;
 *   the server goes away → "Offline since …"; it comes back → "Synced" again;
 * - a notification setting saved on this desk says which desk changed it last.
 * Screenshots of the panel in light and dark.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionLocation } from '../../electron/host/sync/provision.ts';
import { DEMO_LOCATION_ID } from '../../shared/demo/demo-catalog.ts';
import { defaultDatabasePrefix } from '../../shared/sync/sync-config.ts';
import { startCouchServer, type CouchTestServer } from '../support/couch-server.ts';
import { screenshotPath } from './support/browser.ts';
import { useDemoSessions } from './support/demo-session.ts';
import { SettingsPage } from './support/pages/settings.page.ts';
import { SyncPage } from './support/pages/sync.page.ts';

const sessions = useDemoSessions({});
const PREFIX = defaultDatabasePrefix(DEMO_LOCATION_ID);
/** Sync's retries back off up to 30 s by default; a state change shows within that plus the host's coalescing. */
const STATUS_WAIT_MS = 45_000;

let couch: CouchTestServer;
let notCouch: http.Server;
let notCouchUrl: string;
let closedPortUrl: string;

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)));
}

beforeAll(async () => {
  couch = await startCouchServer();
  await provisionLocation({ endpoint: couch.url, admin: couch.admin, databasePrefix: PREFIX, desks: [{ username: 'desk-1', password: 'pw-desk-1' }] });
  // A web server that answers, but is not CouchDB.
  notCouch = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><body>Router admin</body></html>');
  });
  notCouchUrl = await listen(notCouch);
  // A port nothing listens on.
  const probe = http.createServer();
  closedPortUrl = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
}, 60_000);

afterAll(async () => {
  await new Promise((resolve) => notCouch?.close(resolve));
  await couch?.close();
});

describe('Settings → Sync', () => {
  it('tests the connection with clear errors, then syncs; the badge follows the server going away and back', { timeout: 180_000 }, async () => {
    const { page, shell } = await sessions.open();
    const sync = new SyncPage(page);
    await sync.open();
    expect(await sync.badge.textContent()).toContain('Local only');

    await sync.endpoint.fill(closedPortUrl);
    await sync.username.fill('desk-1');
    await sync.password.fill('wrong-password');
    await sync.location('Lumière Beauty Studio').check();
    await sync.prefix().fill(`${PREFIX}-typo`);
    let checks = await sync.runTest();
    expect(checks).toEqual([{ ok: false, text: 'Cannot reach the sync server. The desk works offline and syncs when it is back.' }]);

    await sync.endpoint.fill(notCouchUrl);
    checks = await sync.runTest();
    expect(checks.at(-1)).toEqual({ ok: false, text: 'The server answers, but it is not CouchDB. Check the address and the port.' });

    await sync.endpoint.fill(couch.url);
    checks = await sync.runTest();
    expect(checks.map((c) => c.ok)).toEqual([true, true, false]);
    expect(checks.at(-1)!.text).toBe('The server refused the desk user or password. Check them, or ask whoever runs the server to reset the desk user.');

    await sync.password.fill('pw-desk-1');
    checks = await sync.runTest();
    expect(checks.at(-1)).toEqual({ ok: false, text: 'A database of this location is missing on the server. Create the location\'s databases first (README: Sync).' });

    await sync.prefix().fill(PREFIX);
    checks = await sync.runTest();
    expect(checks.every((c) => c.ok), JSON.stringify(checks)).toBe(true);
    expect(checks.map((c) => c.text)).toEqual(['The server answers', expect.stringMatching(/^It is CouchDB/), 'Signed in as desk-1', 'All databases of loc-lumiere are there and open to this desk']);

    // Turned on and saved: the demo salon goes up, then the badge says it is in sync and who sends.
    await sync.enabled.check();
    await sync.deskName.fill('Reception 1');
    await sync.saveAndWait();
    await expect.poll(() => sync.phase(), { timeout: STATUS_WAIT_MS }).toBe('upToDate');
    expect(await sync.badge.textContent()).toBe('Synced');
    await expect.poll(() => sync.status.textContent(), { timeout: STATUS_WAIT_MS }).toContain('This desk sends the messages');
    expect(await sync.password.inputValue()).toBe('');
    expect(await sync.panel.textContent()).toContain('A password is saved (encrypted)');

    for (const scheme of ['light', 'dark'] as const) {
      await shell.setColorScheme(scheme);
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.waitForTimeout(200);
      await page.screenshot({ path: await screenshotPath(`sync-settings-${scheme}`), fullPage: true });
    }
    await shell.setColorScheme('light');

    // The server goes away: the badge says since when; it comes back: in sync again.
    await couch.stop();
    await expect.poll(() => sync.phase(), { timeout: STATUS_WAIT_MS }).toBe('offline');
    expect(await sync.badge.textContent()).toMatch(/^Offline since \d/);
    await expect.poll(() => sync.status.textContent(), { timeout: STATUS_WAIT_MS }).toContain('Cannot reach the sync server');
    await couch.resume();
    await expect.poll(() => sync.phase(), { timeout: STATUS_WAIT_MS }).toBe('upToDate');

    // A setting saved on this desk says so (with sync, the newest edit wins on every desk).
    const settings = new SettingsPage(page);
    await settings.open('client', 'reminder');
    await page.getByTestId('type-enabled').click();
    await settings.saveButton.click();
    await expect.poll(() => settings.saveButton.isDisabled()).toBe(true);
    await expect.poll(() => page.getByTestId('last-edit').textContent()).toMatch(/^Last changed by Reception 1, /);
  });
});
