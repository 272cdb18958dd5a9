/**
 * How two desks' versions of one document become one when sync finds they both changed it (DESIGN §5). RxDB calls a
 * collection's handler on the desk whose push met a newer version on the endpoint; the result is written locally and
 * pushed, so every desk converges on it. Every rule is deterministic (the same answer on any desk) and loses nothing:
 *
 * - appointments: field groups merge three-way; where both desks changed the same group (both moved the booking) the
 *   later edit wins and `appointmentConflict` reports both versions so the engine raises a team event;
 * - jobs: states only move forward (evidence of a send outranks a closure decided without it; `sending` never goes
 *   back to `planned`); cascade steps merge channel by channel the same way; of two desks' `sending` of one message,
 *   the one already on the endpoint wins (the one exception to "the same answer on any desk", see `competingSends`);
 * - delivery_log: append-only, ids unique: both sides are the same entry;
 * - team_events: read marks are a union;
 * - notification_settings, locations: the newest edit wins (`updatedAt`, then a stable tie-break), and
 *   `settingsConflict` says whose edit was replaced;
 * - clients, staff, services, client_perks: three-way field merge, newest edit wins overlapping fields; a used perk
 *   stays used.
 */
import { deepEqual, type RxConflictHandler, type RxConflictHandlerInput, type WithDeleted } from 'rxdb';
import type { Appointment } from '../domain/appointment.ts';
import type { CollectionName } from '../domain/collections.ts';
import type { CascadeStep, Job, JobState, SendFence } from '../domain/job.ts';
import type { TeamEvent } from '../domain/team-event.ts';
import { laterVersion, mergeFieldGroups, sameValue, stableJson } from './merge-core.ts';

type Doc = Record<string, unknown>;
type Input<T> = RxConflictHandlerInput<T>;

/** Evidence order: a state further right knows more about what happened to the message. */
export const JOB_STATE_RANK: Readonly<Record<JobState, number>> = {
  planned: 0,
  cancelled: 1,
  expired: 1,
  skipped: 1,
  sending: 2,
  uncertain: 3,
  sent: 4,
  sandboxed: 5,
  failed: 6,
  delivered: 7,
};

/**
 * Two desks' `sending` of one message under different fences: each held the lease in its turn, and the later one's
 * copy lagged (it never saw the first one's `sending`). The endpoint takes one `sending` at a time (revision
 * compare-and-swap), so the version already there was handed off first and its desk may have called the provider;
 * it wins, the other desk's hand-off then finds its own send replaced and refuses it, and the job ends `uncertain`
 * on the holder (its outcome is the first desk's). Picked by time stamps instead, the later send (written later, but
 * both stamped by their own desk's clock) replaced the first one and went out as well: a second message.
 * `remote` is always the endpoint's version: RxDB resolves a push conflict on the pushing desk with the endpoint's
 * version as the master, and the pull guard (forward-only-jobs.ts) passes the pulled one as `remote`. This is why
 * the merge is not commutative here: which send came first is known only by where each version is.
 */
function competingSends(local: { state: JobState; fence?: SendFence | undefined }, remote: { state: JobState; fence?: SendFence | undefined }): boolean {
  return local.state === 'sending' && remote.state === 'sending' && local.fence !== undefined && remote.fence !== undefined && !sameValue(local.fence, remote.fence);
}

function stepWinner(local: CascadeStep, remote: CascadeStep): CascadeStep {
  const rl = JOB_STATE_RANK[local.state];
  const rr = JOB_STATE_RANK[remote.state];
  if (rl !== rr) return rl > rr ? local : remote;
  if (competingSends(local, remote)) return remote;
  return laterVersion(local as unknown as Doc, remote as unknown as Doc, (s) => s.at as string | undefined) === 'a' ? local : remote;
}

/** The fence of the job's send in flight: its `sending` step's (a single-channel job has one step too). */
function sendingFence(job: Job): SendFence | undefined {
  return [...(job.cascade ?? [])].reverse().find((step) => step.state === 'sending')?.fence ?? job.fence;
}

function jobWinner(local: Job, remote: Job): Job {
  const rl = JOB_STATE_RANK[local.state];
  const rr = JOB_STATE_RANK[remote.state];
  if (rl !== rr) return rl > rr ? local : remote;
  if (competingSends({ state: local.state, fence: sendingFence(local) }, { state: remote.state, fence: sendingFence(remote) })) return remote;
  return laterVersion(local as unknown as Doc, remote as unknown as Doc) === 'a' ? local : remote;
}

export function mergeJobs(local: Job, remote: Job): Job {
  if (sameValue(local, remote)) return remote;
  const winner = jobWinner(local, remote);
  const steps = new Map<string, CascadeStep>();
  for (const step of remote.cascade ?? []) steps.set(step.channel, step);
  for (const step of local.cascade ?? []) {
    const known = steps.get(step.channel);
    steps.set(step.channel, known ? stepWinner(step, known) : step);
  }
  const order = (winner.cascade ?? []).map((s) => s.channel);
  const cascade = [...steps.values()].sort((a, b) => rankIn(order, a.channel) - rankIn(order, b.channel) || (a.channel < b.channel ? -1 : 1));
  const merged: Job = { ...winner, attempts: Math.max(local.attempts, remote.attempts), updatedAt: maxIso(local.updatedAt, remote.updatedAt) };
  if (winner.channel === 'cascade' && (local.cascade || remote.cascade)) merged.cascade = cascade;
  // A cascade job is `sending` only while one of its channels is: once every step has a verdict the cascade goes on
  // from the steps (a channel with a step is never tried again), so nothing is sent twice.
  if (merged.channel === 'cascade' && merged.state === 'sending' && !cascade.some((s) => s.state === 'sending')) merged.state = 'planned';
  return merged;
}

function rankIn(order: string[], channel: string): number {
  const i = order.indexOf(channel);
  return i === -1 ? order.length : i;
}

function maxIso(a: string, b: string): string {
  return a > b ? a : b;
}

export function mergeTeamEvents(local: TeamEvent, remote: TeamEvent): TeamEvent {
  const readBy = [...new Set([...remote.readBy, ...local.readBy])].sort();
  return { ...remote, readBy, read: local.read || remote.read || readBy.length > 0 };
}

/**
 * Field groups of an appointment that change together; `history` and the stamps are merged apart. The end is merged
 * as the visit's length (`durationMs`, end − start): a move changes the start and keeps the length, a resize
 * (`durationChanged`) changes the length and keeps the start, so one desk's move and another's resize both apply.
 */
export const APPOINTMENT_GROUPS = [['start', 'startMs'], ['durationMs'], ['staffId'], ['serviceIds'], ['status'], ['clientId'], ['notes'], ['priceMinor']] as const;
const APPOINTMENT_MERGED_APART = ['history', 'updatedAt', 'createdAt', 'reviewLeft', 'payments'];

/** The appointment with its end as a length, for the field merge. */
function withLength(appointment: Appointment | undefined): Doc | undefined {
  if (!appointment) return undefined;
  const { end, ...rest } = appointment;
  return { ...rest, durationMs: Date.parse(end) - appointment.startMs };
}

export interface AppointmentConflict {
  appointmentId: string;
  /** Field groups both desks changed, e.g. ["start+startMs"], ["durationMs"]. */
  fields: string[];
  kept: Appointment;
  replaced: Appointment;
}

export function mergeAppointments(input: { base?: Appointment | undefined; local: Appointment; remote: Appointment }): { merged: Appointment; conflict?: AppointmentConflict } {
  const { base, local, remote } = input;
  if (sameValue(local, remote)) return { merged: remote };
  const winner = laterVersion(local as unknown as Doc, remote as unknown as Doc) === 'a' ? 'local' : 'remote';
  const result = mergeFieldGroups({ base: withLength(base), local: withLength(local)!, remote: withLength(remote)!, winner, groups: APPOINTMENT_GROUPS, skip: APPOINTMENT_MERGED_APART });
  const { durationMs, ...fields } = result.merged as Doc & { durationMs: number; startMs: number };
  const seen = new Set<string>();
  const history = [...remote.history, ...local.history]
    .filter((entry) => {
      const key = stableJson(entry);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : stableJson(a) < stableJson(b) ? -1 : 1))
    .slice(-500);
  // Payments are facts: each one recorded at either desk stays (by id).
  const payments = [...new Map([...(remote.payments ?? []), ...(local.payments ?? [])].map((p) => [p.id, p])).values()].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : 1));
  const merged = {
    ...(fields as unknown as Appointment),
    end: new Date(fields.startMs + durationMs).toISOString(),
    history,
    ...(payments.length > 0 ? { payments } : {}),
    reviewLeft: local.reviewLeft || remote.reviewLeft,
    createdAt: local.createdAt < remote.createdAt ? local.createdAt : remote.createdAt,
    updatedAt: maxIso(local.updatedAt, remote.updatedAt),
  };
  if (result.conflicts.length === 0) return { merged };
  const kept = winner === 'local' ? local : remote;
  const replaced = winner === 'local' ? remote : local;
  return { merged, conflict: { appointmentId: local.id, fields: result.conflicts, kept, replaced } };
}

/** What `appointments`' handler decided for one conflict, recomputed from RxDB's conflict input for the report. */
export function appointmentConflict(input: Input<Appointment>): AppointmentConflict | undefined {
  if (input.newDocumentState._deleted || input.realMasterState._deleted) return undefined;
  return mergeAppointments({ base: strip(input.assumedMasterState), local: strip(input.newDocumentState)!, remote: strip(input.realMasterState)! }).conflict;
}

export interface StampedSettings {
  id: string;
  updatedAt?: string;
  updatedBy?: string;
}

export interface SettingsConflict<T extends StampedSettings> {
  kept: T;
  replaced: T;
}

/** Newest edit wins whole: a template or a cascade is only meaningful as the person left it. */
export function mergeSettings<T extends StampedSettings>(local: T, remote: T): { merged: T; conflict?: SettingsConflict<T> } {
  if (sameValue(local, remote)) return { merged: remote };
  const kept = laterVersion(local as unknown as Doc, remote as unknown as Doc) === 'a' ? local : remote;
  const replaced = kept === local ? remote : local;
  return { merged: kept, conflict: { kept, replaced } };
}

export function settingsConflict<T extends StampedSettings>(input: Input<T>): SettingsConflict<T> | undefined {
  if (input.newDocumentState._deleted || input.realMasterState._deleted) return undefined;
  return mergeSettings(strip(input.newDocumentState)!, strip(input.realMasterState)!).conflict;
}

function mergeGeneric<T extends Doc>(input: { base?: T | undefined; local: T; remote: T }, monotonicTrue: readonly string[] = []): T {
  const { base, local, remote } = input;
  if (sameValue(local, remote)) return remote;
  const stamp = (doc: Doc) => (doc.updatedAt ?? doc.createdAt) as string | undefined;
  const winner = laterVersion(local, remote, stamp) === 'a' ? 'local' : 'remote';
  const merged = mergeFieldGroups({ base, local, remote, winner }).merged as Doc;
  for (const key of monotonicTrue) if (local[key] === true || remote[key] === true) merged[key] = true;
  return merged as T;
}

function strip<T>(doc: WithDeleted<T> | undefined): T | undefined {
  if (!doc) return undefined;
  const { _deleted: _unused, ...rest } = doc as WithDeleted<T> & Doc;
  void _unused;
  return rest as T;
}

/**
 * Builds RxDB's handler from a merge of two plain documents. A deletion never beats a live document (nothing a desk
 * kept is lost to a peer's delete).
 */
function handler<T>(merge: (input: { base?: T | undefined; local: T; remote: T }) => T): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => deepEqual(a, b),
    resolve: (input) => {
      const local = input.newDocumentState;
      const remote = input.realMasterState;
      if (local._deleted && remote._deleted) return Promise.resolve(remote);
      if (local._deleted) return Promise.resolve(remote);
      if (remote._deleted) return Promise.resolve(local);
      const merged = merge({ base: strip(input.assumedMasterState), local: strip(local)!, remote: strip(remote)! });
      return Promise.resolve({ ...merged, _deleted: false } as WithDeleted<T>);
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- one table over documents of different types
export const conflictHandlers: { readonly [K in CollectionName]: RxConflictHandler<any> } = {
  appointments: handler<Appointment>((i) => mergeAppointments(i).merged),
  jobs: handler<Job>((i) => mergeJobs(i.local, i.remote)),
  delivery_log: handler<Doc>((i) => i.remote),
  team_events: handler<TeamEvent>((i) => mergeTeamEvents(i.local, i.remote)),
  notification_settings: handler<StampedSettings>((i) => mergeSettings(i.local, i.remote).merged),
  locations: handler<StampedSettings>((i) => mergeSettings(i.local, i.remote).merged),
  clients: handler<Doc>((i) => mergeGeneric(i)),
  staff: handler<Doc>((i) => mergeGeneric(i)),
  services: handler<Doc>((i) => mergeGeneric(i)),
  client_perks: handler<Doc>((i) => mergeGeneric(i, ['used'])),
  provider_settings: handler<StampedSettings>((i) => mergeSettings(i.local, i.remote).merged),
};
