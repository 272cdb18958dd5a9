/**
 * startFailureOf: a refused start as reason + parameters. The refusals of real hosts are checked where they happen
 * (data-folder.test.ts, process/host-process.test.ts, e2e/newer-database); these are the cases that are hard to stage.
 */
import { describe, expect, it } from 'vitest';
import { DataFolderInUseError } from '../../../electron/host/data-folder-lock.ts';
import { NewerDatabaseError } from '../../../electron/host/db/open-database.ts';
import { startFailureOf } from '../../../electron/host/start-failure.ts';
import { startFailureText } from '../../../shared/i18n/start-failure.ts';

describe('a failed start, by reason', () => {
  it('names the host that holds the folder, or says one is starting or stopping', () => {
    const holder = { mode: 'web' as const, pid: 4242, since: '2026-12-04T19:05:12.345Z', version: '1.0.0', hostname: 'desk-2' };
    expect(startFailureOf(new DataFolderInUseError('/salon', holder))).toMatchObject({
      reason: 'hostStart.dataFolderInUse',
      params: { dataDir: '/salon', pid: 4242, hostname: 'desk-2', since: '2026-12-04 19:05' },
    });
    const busy = startFailureOf(new DataFolderInUseError('/salon', undefined));
    expect(busy).toMatchObject({ reason: 'hostStart.dataFolderBusy', params: { dataDir: '/salon' } });
    expect(startFailureText('ru', busy)).toContain('Папкой данных /salon пользуется другой FrontDesk, который как раз запускается');
  });

  it('says which data a newer FrontDesk wrote', () => {
    expect(startFailureOf(new NewerDatabaseError('clients', 4, 3))).toMatchObject({ reason: 'hostStart.newerDatabase', params: { collection: 'clients', storedVersion: 4, knownVersion: 3 } });
  });

  it('keeps anything else as an unexpected failure with its (bounded) words', () => {
    const failure = startFailureOf(new Error(`EIO: i/o error ${'x'.repeat(1000)}`));
    expect(failure.reason).toBe('hostStart.unexpected');
    expect(String(failure.params.detail)).toMatch(/^EIO: i\/o error x+$/);
    expect(String(failure.params.detail)).toHaveLength(300);
    expect(failure.message).toHaveLength(1015);
    expect(startFailureOf('a string thrown')).toEqual({ message: 'a string thrown', reason: 'hostStart.unexpected', params: { detail: 'a string thrown' } });
  });
});
