/**
 * Renders build/icon.svg to the PNGs the app ships (`node scripts/render-icons.ts` after editing the SVG): build/icon.png
 * at 1024 px for electron-builder (it makes each platform's icon from it and stops a macOS build under 512 px) and for
 * the window and tray, and renderer/public/favicon.png at 256 px for the web mode's tab. Chromium draws it, as the
 * e2e tests launch it, so no image tool is needed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { launchChromium } from '../test/e2e/support/browser.ts';
import { projectRoot } from './ensure-build.ts';

const svg = await readFile(path.join(projectRoot, 'build/icon.svg'), 'utf8');
const browser = await launchChromium();
try {
  for (const [file, size] of [['build/icon.png', 1024], ['renderer/public/favicon.png', 256]] as const) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('width="1024" height="1024"', `width="${size}" height="${size}"`)}</body></html>`);
    await page.locator('svg').screenshot({ path: path.join(projectRoot, file), omitBackground: true });
    await page.close();
    console.log(`${file}: ${size}×${size}`);
  }
} finally {
  await browser.close();
}
