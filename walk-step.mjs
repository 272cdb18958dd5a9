// usage: node step.mjs URL OUT LANG 'js actions (page in scope)'
import { chromium } from 'playwright-core';
const [url, out, lang, actions] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const ctx = await browser.newContext({ locale: lang, viewport: { width: 1366, height: 860 } });
const page = await ctx.newPage();
page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log('console', m.type(), m.text().slice(0,300)); });
page.on('pageerror', e => console.log('pageerror', e.message));
await page.goto(url);
await page.waitForTimeout(1500);
try { await (new Function('page', `return (async () => { ${actions} })()`))(page); } catch (e) { console.log('ACTION ERROR', e.message.slice(0, 500)); }
await page.waitForTimeout(800);
await page.screenshot({ path: out, fullPage: true });
console.log(await page.evaluate(() => document.querySelector('main')?.innerText.slice(0, 2500) ?? document.body.innerText.slice(0,2500)));
await browser.close();
