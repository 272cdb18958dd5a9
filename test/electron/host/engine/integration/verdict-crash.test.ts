/**
 * Crashes between a step's two writes, the job that records it and then its log entry.
 *
 * A provider's verdict: the host dies (SIGKILL) as the `delivered` entry of an email that arrived is being written. The
 * job is the record: the restart finds the verdict on it, writes its entry again and ends the job `delivered` — not
 * `uncertain`, which it would be had the job's write been rolled back with the entry's (one transaction) — and no job
 * is recorded delivered without its entry.
 *
 * A sandboxed step (sandbox mode holds the message back): nothing marks such a job `sending`, so start-up recovery does
 * not look at it; the job's next dispatch writes the entry again, and no job keeps a sandboxed step with no entry (the
 * log is what tells the salon what would have gone out).
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

/** Runs the child until it exits, or kills it `afterReadyMs` after it said `ready`, or after `guardMs` in any case. */
function runChild(args: string[], guardMs: number, afterReadyMs?: number): Promise<ChildOutcome> {
  return runScript(childScript, args, { guardMs, onLine: (line, child) => void (line === 'ready' && afterReadyMs !== undefined && child.killIn(afterReadyMs)) });
}

let sink: CrashSink;
const folders: string[] = [];
async function dataFolder(): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'frontdesk-verdict-crash-'));
  folders.push(folder);
  return folder;
}

beforeAll(async () => {
  sink = await startCrashSink([]);
});

afterAll(async () => {
  await sink?.close();
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe('a crash while a verdict is recorded', () => {
  it('keeps the verdict: the restart logs it, no job is recorded delivered without its entry, the email went once', { timeout: 90_000 }, async () => {
    const dataDir = await dataFolder();
    const seeded = await runChild(['seed', dataDir, String(sink.port), '3'], 30_000);
    expect(seeded.code, seeded.stderr).toBe(0);
    const died = await runChild(['verdict', dataDir, String(sink.port)], 45_000);
    expect(died.lines, died.stderr).toContain('dying');
    expect(died.signal).toBe('SIGKILL');
    const sent = died.lines.filter((line) => line.startsWith('sent '));
    // The verdict being written when the host died: the last provider call it made.
    const victim = sent.at(-1)?.split(' ')[1];
    expect(victim, died.lines.join('\n')).toBeDefined();

    // A restart recovers the interrupted send as it starts (before `ready`); then the book is read as it stands.
    const restarted = await runChild(['run', dataDir, String(sink.port)], 45_000, 1_000);
    expect(restarted.lines, restarted.stderr).toContain('ready');
    const db = await openFrontDeskDatabase({ storage: getRxStorageNodeSqlite({ directory: dataDir }), name: 'frontdesk', multiInstance: false });
    try {
      const jobs = await allJobs(db);
      const log = await deliveryLog(db);
      const missing = jobs.filter((job) => job.cascade?.some((step) => step.channel === 'email' && step.state === 'delivered') && !log.some((e) => e.jobId === job.id && e.channel === 'email' && e.status === 'delivered'));
      expect(missing.map((job) => job.id), 'jobs recorded delivered with no delivered entry').toEqual([]);
      const job = jobs.find((j) => j.id === victim);
      expect(job?.cascade?.find((step) => step.channel === 'email')?.state).toBe('delivered');
      expect(job?.state).not.toBe('uncertain');
      expect(log.filter((e) => e.jobId === victim && e.status === 'uncertain')).toEqual([]);
      expect(sink.received.filter((mail) => mail.headers.get('x-frontdesk-job') === victim)).toHaveLength(1);
    } finally {
      await db.close();
    }
  });
});

describe('a crash while a sandboxed step is recorded', () => {
  it('loses no entry: the next dispatch writes it again, once, and nothing leaves the desk', { timeout: 90_000 }, async () => {
    const dataDir = await dataFolder();
    const mailsBefore = sink.received.length;
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
      expect(sink.received.slice(mailsBefore), 'mails sent from the sandboxed salon').toEqual([]);
    } finally {
      await db.close();
    }
  });
});
