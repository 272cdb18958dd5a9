import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { projectRoot } from '../../../scripts/ensure-build.ts';

export const ARTIFACTS_DIR = path.join(projectRoot, 'test-results');

/** Debian's Chromium; the flags keep it from reaching for the network this machine does not have. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function screenshotPath(name: string): Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, 'screenshots');
  await mkdir(dir, { recursive: true });
  return path.join(dir, `${name}.png`);
}
