/**
 * A crash between a sandboxed step's two writes: the host dies (SIGKILL) as the `sandboxed` entry of a message that
 * sandbox mode held back is being written, after the job that records the step. Nothing marks such a job `sending`,
 * so start-up recovery does not look at it; the job's next dispatch writes the entry again, and no job is left with a
 * sandboxed step and no entry for it (the log is what tells the salon what would have gone out).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFrontDeskDatabase } from '../../../../../electron/host/db/open-database.ts';
import { getRxStorageNodeSqlite } from '../../../../../electron/host/storage/index.ts';
import { runScript, type ChildOutcome } from './support/child-run.ts';
import { startCrashSink, type CrashSink } from './support/crash-sink.ts';
import { allJobs, deliveryLog } from './support/salon.ts';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');

function runChild(args: string[], guardMs: number, afterReadyMs?: number): Promise<ChildOutcome> {
  return runScript(childScript, args, { guardMs, onLine: (line, child) => void (line === 'ready' && afterReadyMs !== undefined && child.killIn(afterReadyMs)) });
}

let sink: CrashSink;
let dataDir: string;

beforeAll(async () => {
  sink = await startCrashSink([]);
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-sandbox-crash-'));
});

afterAll(async () => {
  await sink?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('a crash while a sandboxed step is recorded', () => {
  it('loses no entry: the next dispatch writes it again, once, and nothing leaves the desk', { timeout: 90_000 }, async () => {
    const seeded = await runChild(['seed-sandbox', dataDir, String(sink.port), '3'], 30_000);
    expect(seeded.code, seeded.stderr).toBe(0);
    const died = await runChild(['sandboxed', dataDir, String(sink.port)], 45_000);
    expect(died.signal, died.stderr).toBe('SIGKILL');
    const victim = died.lines.find((line) => line.startsWith('dying '))?.split(' ')[1];
    expect(victim, died.lines.join('\n')).toBeDefined();

    const restarted = await runChild(['run', dataDir, String(sink.port)], 45_000, 3_000);
    expect(restarted.lines, restarted.stderr).toContain('ready');
    const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dataDir }), name: 'frontdesk', multiInstance: false });
    try {
      const jobs = await allJobs(db);
      const log = await deliveryLog(db);
      const job = jobs.find((j) => j.id === victim);
      const step = job?.cascade?.find((s) => s.state === 'sandboxed');
      expect(step, JSON.stringify(job)).toBeDefined();
      const entries = log.filter((e) => e.jobId === victim && e.status === 'sandboxed' && e.channel === step!.channel);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ at: step!.at, reasonCode: 'sandbox.notSent', recipient: expect.stringContaining('@') });
      const missing = jobs.flatMap((j) => (j.cascade ?? []).filter((s) => s.state === 'sandboxed' && !log.some((e) => e.jobId === j.id && e.channel === s.channel && e.status === 'sandboxed')).map((s) => `${j.id} ${s.channel}`));
      expect(missing, 'sandboxed steps with no entry').toEqual([]);
      expect(sink.received).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
