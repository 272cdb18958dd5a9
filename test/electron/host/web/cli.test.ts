import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWebArgs } from '../../../../electron/host/web/cli.ts';

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
