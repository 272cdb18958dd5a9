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
    expect(logs.filter((line) => line.startsWith('engine: dispatch failed'))).toHaveLength(2);
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
