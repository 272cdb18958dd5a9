import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebArgs, startPlanDelayFromEnv } from '../../../../electron/host/web/cli.ts';

describe('parseWebArgs', () => {
  it('opens the browser unless --no-open is given', () => {
    expect(parseWebArgs(['--data-dir', '/tmp/fd']).open).toBe(true);
    expect(parseWebArgs(['--no-open', '--data-dir', '/tmp/fd'])).toMatchObject({ open: false, port: 5317, dataDir: path.resolve('/tmp/fd'), demo: false });
  });

  it('takes a backup to restore, as an absolute path', () => {
    expect(parseWebArgs(['--data-dir', '/tmp/fd', '--restore-backup', 'backups/frontdesk-20261201-080000.sqlite']).restoreFrom).toBe(path.resolve('backups/frontdesk-20261201-080000.sqlite'));
    expect(parseWebArgs(['--data-dir', '/tmp/fd']).restoreFrom).toBeUndefined();
  });

  it('refuses a port out of range', () => {
    expect(() => parseWebArgs(['--port', '70000'])).toThrow("--port must be a whole number from 0 to 65535 (got '70000').");
  });
});

describe('startPlanDelayFromEnv', () => {
  it('takes 0–60000 ms, and says so and keeps the default for anything else', () => {
    const said: string[] = [];
    const log = (line: string) => said.push(line);
    expect(startPlanDelayFromEnv({ FRONTDESK_START_PLAN_DELAY_MS: '0' }, log)).toBe(0);
    expect(startPlanDelayFromEnv({ FRONTDESK_START_PLAN_DELAY_MS: '60000' }, log)).toBe(60_000);
    expect(startPlanDelayFromEnv({}, log)).toBeUndefined();
    expect(said).toEqual([]);
    for (const text of ['-1', '1.5', 'soon', '60001']) expect(startPlanDelayFromEnv({ FRONTDESK_START_PLAN_DELAY_MS: text }, log)).toBeUndefined();
    expect(said).toHaveLength(4);
    expect(said[2]).toBe("FRONTDESK_START_PLAN_DELAY_MS must be a whole number of milliseconds from 0 to 60000 (got 'soon'); using the default.");
  });
});
