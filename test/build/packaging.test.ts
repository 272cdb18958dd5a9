/**
 * The packaging config (build/electron-builder.yml) checked where electron-builder cannot run (it needs the Electron
 * download): the icons it converts are large enough for each platform — it stops a macOS build on a PNG under
 * 512×512 and a Windows one under 256×256 — and the files the main process loads at run time are packed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_USER_MODEL_ID } from '../../electron/host/app-user-model-id.ts';
import { projectRoot } from '../../scripts/ensure-build.ts';

const config = await readFile(path.join(projectRoot, 'build/electron-builder.yml'), 'utf8');

/** Width and height from a PNG's IHDR chunk. */
async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const bytes = await readFile(path.join(projectRoot, file));
  expect(bytes.subarray(1, 4).toString('latin1'), `${file} is a PNG`).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** `icon:` of a platform section (`mac:`, `win:`, `linux:`), e.g. build/icon.png. */
function iconOf(platform: string): string {
  const section = new RegExp(`^${platform}:\\n((?:[ ]+.*\\n)+)`, 'm').exec(config)?.[1] ?? '';
  const icon = /^\s+icon:\s*(\S+)/m.exec(section)?.[1];
  if (!icon) throw new Error(`no icon for ${platform} in build/electron-builder.yml`);
  return icon;
}

/** The `files:` globs. */
function packedFiles(): string[] {
  const block = /^files:\n((?:[ ]+.*\n)+)/m.exec(config)?.[1] ?? '';
  return [...block.matchAll(/^\s+-\s*(\S+)/gm)].map((m) => m[1]!);
}

describe('packaging config', () => {
  it.each([
    ['mac', 512],
    ['win', 256],
    ['linux', 256],
  ])('the %s icon is a square PNG of at least %i px', async (platform, minimum) => {
    const { width, height } = await pngSize(iconOf(platform));
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(minimum);
  });

  it('registers the app id the desktop toasts name (Windows shows toasts only for a registered one)', () => {
    expect(/^appId:\s*(\S+)$/m.exec(config)?.[1]).toBe(APP_USER_MODEL_ID);
  });

  it('unpacks the icon desktop toasts show, which the OS reads from outside the archive', () => {
    const block = /^asarUnpack:\n((?:[ ]+.*\n)+)/m.exec(config)?.[1] ?? '';
    expect([...block.matchAll(/^\s+-\s*(\S+)/gm)].map((m) => m[1])).toContain('out/renderer/favicon.png');
  });

  it('packs the icon the main process shows on the window and the tray', async () => {
    const main = await readFile(path.join(projectRoot, 'electron/main/index.ts'), 'utf8');
    const loaded = /path\.join\(import\.meta\.dirname, '\.\.\/\.\.\/(build\/[^']+)'\)/.exec(main)?.[1];
    expect(loaded).toBe('build/icon.png');
    expect(packedFiles()).toContain(loaded);
  });
});
