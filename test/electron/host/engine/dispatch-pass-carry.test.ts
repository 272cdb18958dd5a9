/**
 * A dispatch pass cut short for a change waiting to be planned (dispatch-pass.ts): it ends after the job under way,
 * and hands what it left waiting to the pass that goes on from it, which does not try those jobs again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runDispatchPass, SubjectArrivals, type DispatchPassOptions } from '../../../../electron/host/engine/dispatch-pass.ts';
import type { DispatchGate } from '../../../../shared/engine/dispatch-gate.ts';
import { DAY, EngineHarness, HOUR, T0 } from './support/harness.ts';

let h: EngineHarness;
afterEach(async () => {
  await h?.close();
});

/** Another desk holds the lease while the bookings are planned (the engine sends nothing); the pass under test holds it. */
const lease = { holding: false };
const gate: DispatchGate = {
  permit: () => (lease.holding ? { ok: true, fence: { desk: 'desk-b', epoch: 1 } } : { ok: false, reason: 'another desk holds the dispatch lease' }),
  stillValid: () => lease.holding,
  handOff: () => Promise.resolve(true),
  active: () => lease.holding,
  onChange: () => () => undefined,
  replicates: () => true,
};

async function threeConfirmationsDue(): Promise<string[]> {
  lease.holding = false;
  h = await EngineHarness.create({ gate, location: { quietHours: { enabled: false, start: '21:00', end: '09:00' } } });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const appointment = await h.book(T0 + 3 * DAY + i * HOUR);
    const [confirmation] = await h.job('bookingConfirmation', appointment.id);
    expect(confirmation?.state).toBe('planned');
    ids.push(confirmation!.id);
  }
  expect(h.allSent()).toEqual([]);
  lease.holding = true;
  return ids;
}

function passOptions(extra: Partial<DispatchPassOptions>): DispatchPassOptions {
  return {
    store: h.engine.store, clock: h.time, provider: (channel) => h.providers[channel], scope: undefined, batchSize: 50,
    arrivals: new SubjectArrivals(h.time), toastDesk: () => undefined, stopping: () => false, gate, ...extra,
  };
}

const sentJobs = () => h.allSent().map((m) => m.jobId);

describe('a dispatch pass cut short for a change', () => {
  it('ends after one job while a change waits, and hands on what it left waiting', async () => {
    await threeConfirmationsDue();
    const outcome = await runDispatchPass(passOptions({ planningWaits: () => true }));
    expect(sentJobs()).toHaveLength(1);
    expect(outcome.carry).toEqual({ waiting: new Set(), deferred: false, superseded: false });
  });

  it('goes on without trying again the jobs the cut pass left waiting, and reports why they wait', async () => {
    const [first, ...rest] = await threeConfirmationsDue();
    const outcome = await runDispatchPass(passOptions({ planningWaits: () => false, continues: { waiting: new Set([first!]), deferred: false, superseded: true } }));
    expect(outcome.carry).toBeUndefined();
    expect(outcome.superseded).toBe(true);
    expect(new Set(sentJobs())).toEqual(new Set(rest));
    expect((await h.db.jobs.findOne(first!).exec())?.state).toBe('planned');
  });
});
