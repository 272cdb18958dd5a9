/**
 * Crash durability: a child writes batches in a loop and is SIGKILLed at random moments. After each kill the file
 * must open, hold every batch the child reported committed, and hold no batch partially.
 * STORAGE_CRASH_KILLS (default 20) sets the number of kills, STORAGE_CRASH_SEED the random seed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeMangoQuery, prepareQuery } from 'rxdb';
import { getRxStorageNodeSqlite } from '../../../../electron/host/storage/index.ts';
import { appointmentStorageSchema, envInt, openInstance, prng, tempDir } from './storage-fixtures.ts';

const KILLS = envInt('STORAGE_CRASH_KILLS', 20);
const PER_BATCH = 5;
const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'storage-crash-child.ts');
const tmp = tempDir('crash');
afterAll(() => tmp.dispose());

/** Runs one child from `first`, kills it after `killAfterMs` (counted from its first committed batch when `afterFirst`). */
function runChild(first: number, killAfterMs: number, afterFirst: boolean): Promise<{ reported: number[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--no-warnings', childScript, tmp.dir, String(first), String(PER_BATCH)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const reported: number[] = [];
    let stderr = '';
    let buffered = '';
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    };
    if (!afterFirst) arm();
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) reported.push(Number(line));
      if (reported.length > 0) arm();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`child ended by itself (code ${code}): ${stderr}`));
        return;
      }
      resolve({ reported, stderr });
    });
  });
}

describe('node:sqlite storage crash durability', () => {
  it(`keeps every committed batch whole across ${KILLS} SIGKILLs`, { timeout: 30_000 + KILLS * 10_000 }, async () => {
    const rnd = prng(envInt('STORAGE_CRASH_SEED', 7));
    const schema = appointmentStorageSchema();
    const all = prepareQuery(schema, normalizeMangoQuery(schema, { selector: {}, sort: [{ id: 'asc' }] }));
    let next = 1;
    let totalReported = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // Most kills land while batches are being written; some during start-up and opening of the file.
      const afterFirst = rnd() < 0.8;
      const { reported } = await runChild(next, Math.floor(rnd() * (afterFirst ? 150 : 600)), afterFirst);
      totalReported += reported.length;

      const instance = await openInstance(getRxStorageNodeSqlite({ directory: tmp.dir }) as never, 'crash');
      try {
        const docs = (await instance.query(all)).documents;
        const batches = new Map<number, number>();
        let counter: number | undefined;
        for (const doc of docs) {
          if (doc.id === 'counter') {
            counter = Number(doc.note);
            continue;
          }
          const seq = Number(doc.note.replace('batch ', ''));
          batches.set(seq, (batches.get(seq) ?? 0) + 1);
        }
        for (const seq of reported) {
          expect(batches.get(seq), `kill ${kill}: reported batch ${seq}`).toBe(PER_BATCH);
        }
        for (const [seq, count] of batches) {
          expect(count, `kill ${kill}: batch ${seq} is half applied`).toBe(PER_BATCH);
        }
        const newest = Math.max(0, ...batches.keys());
        // The counter update travels in the same transaction as its batch's inserts.
        expect(counter ?? 0, `kill ${kill}: counter vs newest batch`).toBe(newest);
        expect([...batches.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: newest }, (_, i) => i + 1));
        next = newest + 1;
      } finally {
        await instance.close();
      }
    }
    // Not a vacuous pass: the children did commit (and report) batches before being killed.
    expect(totalReported).toBeGreaterThan(KILLS);
  });
});
