/**
 * The engine's queue (work-queue.ts): one piece at a time, in order; a failure is logged and the queue goes on; work
 * the disk refused is queued again after STORAGE_RETRY_MS while the engine runs, and not after it stops.
 */
import { describe, expect, it } from 'vitest';
import { STORAGE_RETRY_MS, WorkQueue } from '../../../../electron/host/engine/work-queue.ts';
import { ManualTime } from './support/harness.ts';

/** What node:sqlite throws when the disk is full (SQLITE_FULL). */
function diskFull(): Error {
  return Object.assign(new Error('database or disk is full'), { errcode: 13 });
}

function queueWith(state: { stopped?: boolean; retrying?: boolean } = {}) {
  const time = new ManualTime(0);
  const logs: string[] = [];
  const queue = new WorkQueue({ timers: time, log: (line) => logs.push(line), stopped: () => state.stopped === true, retrying: () => state.retrying !== false });
  const settle = () => queue.idle();
  return { time, logs, queue, settle };
}

describe('the engine work queue', () => {
  it('starts a piece only when the one before it has ended, in the order they were queued', async () => {
    const { queue } = queueWith();
    const events: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    queue.enqueue('first', async () => {
      events.push('first starts');
      await held;
      events.push('first ends');
    });
    queue.enqueue('second', async () => {
      events.push('second');
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['first starts']);
    release();
    await queue.idle();
    expect(events).toEqual(['first starts', 'first ends', 'second']);
  });

  it('says a change of the book waits while such a piece is queued, until it starts', async () => {
    const { queue } = queueWith();
    const seen: boolean[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    queue.enqueue('dispatch', async () => {
      await held;
      seen.push(queue.planningWaits());
    });
    queue.enqueue('wake', async () => void seen.push(queue.planningWaits()));
    expect(queue.planningWaits()).toBe(false);
    queue.enqueue('appointment a1', async () => void seen.push(queue.planningWaits()), { plansChange: true });
    queue.enqueue('appointment a2', async () => void seen.push(queue.planningWaits()), { plansChange: true });
    expect(queue.planningWaits()).toBe(true);
    release();
    await queue.idle();
    // The dispatch and the re-arm saw changes waiting; the first change saw the second; the last saw none.
    expect(seen).toEqual([true, true, true, false]);
    expect(queue.planningWaits()).toBe(false);
  });

  it('logs a failed piece and goes on; a failure that is not the disk’s is not tried again', async () => {
    const { queue, logs, time } = queueWith();
    const ran: string[] = [];
    queue.enqueue('planning', () => Promise.reject(new Error('broken plan')));
    queue.enqueue('dispatch', async () => void ran.push('dispatch'));
    await queue.idle();
    expect(ran).toEqual(['dispatch']);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^engine: planning failed: Error: broken plan/);
    expect(time.pendingTimers).toBe(0);
  });

  it('queues work the disk refused again after STORAGE_RETRY_MS, until it succeeds', async () => {
    const { queue, logs, time, settle } = queueWith();
    let attempts = 0;
    queue.enqueue('dispatch', async () => {
      attempts++;
      if (attempts < 3) throw diskFull();
    });
    await settle();
    expect(attempts).toBe(1);
    await time.advance(STORAGE_RETRY_MS - 1, settle);
    expect(attempts).toBe(1);
    await time.advance(1, settle);
    expect(attempts).toBe(2);
    await time.advance(STORAGE_RETRY_MS, settle);
    expect(attempts).toBe(3);
    await time.advance(10 * STORAGE_RETRY_MS, settle);
    expect(attempts).toBe(3);
    // The first refusal is logged with its error, the second as a count; the retry that went through says so.
    expect(logs).toHaveLength(3);
    expect(logs[0]).toMatch(/^engine: dispatch failed, the disk refused the write \(diskFull\); it is tried again every 5 s: Error: database or disk is full/);
    expect(logs[1]).toBe('engine: dispatch still refused by the disk (diskFull), 2 times so far');
    expect(logs[2]).toBe('engine: dispatch went through, the disk takes writes again (refused 2 times before)');
  });

  it('says a little, not a stack every 5 s, while the disk refuses a piece for hours, and when it went through; each piece counts its own', async () => {
    const { queue, logs, time, settle } = queueWith();
    let full = true;
    queue.enqueue('dispatch', async () => {
      if (full) throw diskFull();
    });
    await settle();
    // Two hours of retries: 1,441 refusals.
    for (let i = 0; i < 1_440; i++) await time.advance(STORAGE_RETRY_MS, settle);
    expect(logs).toEqual([
      expect.stringMatching(/^engine: dispatch failed, the disk refused the write \(diskFull\); it is tried again every 5 s: Error: database or disk is full\n/),
      ...[2, 12, 120, 720, 1440].map((n) => `engine: dispatch still refused by the disk (diskFull), ${n} times so far`),
    ]);
    // Other work refused meanwhile has its own first line, with its error.
    queue.enqueue('settings', () => Promise.reject(diskFull()));
    await settle();
    expect(logs.at(-1)).toMatch(/^engine: settings failed, the disk refused the write \(diskFull\)/);
    full = false;
    await time.advance(STORAGE_RETRY_MS, settle);
    expect(logs.slice(-2).sort()).toEqual([
      'engine: dispatch went through, the disk takes writes again (refused 1441 times before)',
      'engine: settings still refused by the disk (diskFull), 2 times so far',
    ]);
    queue.cancelRetries();
  });

  it('does not retry refused work while the engine is not running, and gives up waiting retries when told', async () => {
    const state = { retrying: false };
    const { queue, time, settle } = queueWith(state);
    let attempts = 0;
    const refused = async () => {
      attempts++;
      throw diskFull();
    };
    queue.enqueue('stopping', refused);
    await settle();
    expect(time.pendingTimers).toBe(0);

    state.retrying = true;
    queue.enqueue('running', refused);
    await settle();
    expect(time.pendingTimers).toBe(1);
    queue.cancelRetries();
    await time.advance(2 * STORAGE_RETRY_MS, settle);
    expect(attempts).toBe(2);
  });

  it('drops work whose turn comes once the engine has stopped', async () => {
    const state = { stopped: false };
    const { queue } = queueWith(state);
    const ran: string[] = [];
    queue.enqueue('before', async () => {
      ran.push('before');
      state.stopped = true;
    });
    queue.enqueue('after', async () => void ran.push('after'));
    await queue.idle();
    expect(ran).toEqual(['before']);
  });
});
