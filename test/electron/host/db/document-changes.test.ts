/**
 * documentChanges() delivers every written document without keeping it: after a full GC at most the last 100 are
 * reachable (RxDB's ChangeEventBuffer keeps the collection's last 100 change events for its queries), while RxDB
 * 17.6's `collection.$` keeps every one (its EVENT_BULK_CACHE). If the RxDB half fails after an upgrade, RxDB fixed
 * its cache and documentChanges() can go.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('documentChanges', () => {
  it('delivers every written document and keeps none of them, unlike collection.$', { timeout: 60_000 }, () => {
    const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'document-changes-child.ts');
    const run = spawnSync(process.execPath, ['--no-warnings', '--expose-gc', child], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { written: number; seen: Record<string, number>; alive: Record<string, number> };
    expect(result.seen).toEqual({ helper: result.written, rxdb: result.written });
    expect(result.alive.helper).toBeLessThanOrEqual(100);
    expect(result.alive.rxdb, 'RxDB no longer keeps the documents of collection.$: documentChanges() can go').toBe(result.written);
  });
});
