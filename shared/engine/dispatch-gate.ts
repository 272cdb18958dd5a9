/**
 * Whether this desk may send a location's messages now (DESIGN §4.6). The engine plans on every desk; it dispatches a
 * job only when the gate permits, records the permit's fence on the `sending` step, waits for the hand-off (the
 * `sending` state on the endpoint, so a desk that takes over sees it and never resends), and asks `stillValid` right
 * before the provider call. Without sync there is no gate: the desk is its location's only dispatcher.
 */
import type { Job, SendFence } from '../domain/job.ts';

export type DispatchPermit = { ok: true; fence?: SendFence } | { ok: false; reason: string };

export interface DispatchGate {
  permit(locationId: string): DispatchPermit;
  /** Synchronous: nothing may come between this answer and the provider call. */
  stillValid(locationId: string, fence: SendFence | undefined): boolean;
  /** Resolves true once the job's `sending` state is on the endpoint (or no endpoint is involved); false: do not send. */
  handOff(job: Job): Promise<boolean>;
  /** Whether any location may be dispatched now (the engine's timer sleeps otherwise). */
  active(): boolean;
  /** Called when a permit may have changed (lease taken or lost, endpoint reachable or not). */
  onChange(listener: () => void): () => void;
  /** The location's documents replicate with other desks, so some may arrive here later than others. */
  replicates(locationId: string): boolean;
}

/**
 * The fence of a send in flight: a cascade step in `sending` (a cascade job whose steps all have verdicts is between
 * two steps, not in flight), or a single-channel job in `sending`. Undefined: nothing of this job is in flight.
 */
export function inFlightFence(job: Job): { fence: SendFence | undefined } | undefined {
  if (job.state !== 'sending') return undefined;
  if (job.channel !== 'cascade') return { fence: job.fence };
  const step = [...(job.cascade ?? [])].reverse().find((s) => s.state === 'sending');
  return step ? { fence: step.fence ?? job.fence } : undefined;
}

export function fenceOfSendingJob(job: Job): SendFence | undefined {
  return inFlightFence(job)?.fence ?? job.fence;
}

export function sameFence(a: SendFence | undefined, b: SendFence | undefined): boolean {
  return a !== undefined && b !== undefined && a.desk === b.desk && a.epoch === b.epoch;
}
