import { launchChromium } from './test/e2e/support/browser.ts';
import { startWebHost } from './test/e2e/support/web-host.ts';
const [w, h, lang] = [Number(process.argv[2] ?? 1366), Number(process.argv[3] ?? 768), process.argv[4] ?? 'en'];
const host = await startWebHost(['--demo']);
await host.startPlanned();
const browser = await launchChromium();
const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: lang === 'ru' ? 'ru-RU' : 'en-US' });
const page = await ctx.newPage();
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(String(e)));
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text().slice(0, 300)); });
await page.goto(host.openUrl);
await page.waitForSelector('[data-testid="calendar-column"]', { timeout: 30000 });
await page.waitForTimeout(1500);
const shot = async (name: string) => { await page.waitForTimeout(900); await page.screenshot({ path: `/tmp/tour/${lang}-${w}-${name}.png` }); };
await shot('calendar');
const base = host.openUrl.split('#')[0];
for (const screen of ['clients', 'notifications', 'log', 'settings', 'staff', 'services']) {
  await page.evaluate((s) => { location.hash = `#/${s}`; }, screen);
  await shot(screen);
}
await page.evaluate(() => { location.hash = '#/calendar'; });
await page.waitForTimeout(800);
await page.locator('[data-testid="appointment-block"]').first().click().catch((e) => errors.push('click block: ' + e));
await shot('visit-card');
console.log(JSON.stringify({ base, errors }, null, 1));
await browser.close();
await host.stop();
