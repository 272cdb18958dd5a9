/**
 * Whole-book planning (the engine's start, a settings or location change): every subject of a location streams by in
 * pages — its jobs read with one query a page, reconciled, and written PLANNING_WRITE_BATCH at a time over the
 * revisions just read. Memory stays flat whatever the size of the book.
 *
 * The writes stay on this thread. Written on a second connection on a worker thread while the next page was planned
 * (a first plan of 100k visits, bench:engine cold_plan, 2 cores), they gained nothing: on the checkpointer's thread
 * the checkpoints then waited for the writes and the writes for them, 5.8–6.2 s against 5.4–5.8 s here; on a thread of
 * their own 5.5–5.7 s, the process's peak resident set 401–404 MiB (issue 13: < 400). SQLite's inserts (~3.1 s of
 * the plan), the planning (~2.5 s) and the checkpoints (~1.7 s) are then three threads' work on two cores, and moving
 * the rows to the worker (structured clones of every row's parameters) cost ~0.4 s of this thread besides.
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import type { Job } from '../../../shared/domain/job.ts';
import type { Service } from '../../../shared/domain/service.ts';
import { desiredAppointmentJobs, desiredClientJobs, desiredPerkJobs, knownJobIds, laterVisitsByService, type DesiredJob, type PlanSettings } from '../../../shared/engine/plan.ts';
import { lengthChangeDrafts, teamEventDrafts } from '../../../shared/engine/team-events.ts';
import type { HeldWriteGroup } from '../storage/index.ts';
import type { PageOrder, PlannedWrite, PlanningStore } from './planning-store.ts';
import { TimeSlice } from './time-slice.ts';

/** Past visits older than this produce nothing any more (the longest repeat-visit interval plus its lateness). */
const PLANNING_LOOKBACK_MS = 400 * 24 * 3_600_000;
/**
 * Subjects planned per page: one jobs query each. Larger pages save little CPU (measured: 500 and
 * 2,000 cost the same) but let V8's heap grow further between collections (peak 326 vs 386 MiB for 100k visits).
 */
export const PLANNING_PAGE = 500;
/**
 * Planned jobs written per transaction in a whole-book plan. SQLite's cost per row falls with the rows per transaction
 * (each commit writes every B-tree page it touched to the WAL again), but the jobs wait in memory meanwhile and live
 * long enough to reach V8's old generation — and a transaction is one task the event loop cannot break, so the UI's
 * reads wait for it whole. A first plan of 100k visits (200k jobs), CPU / peak resident set, load 6–10: 1,000 (a
 * page's jobs) 10.0–10.2 s / 324–332 MiB; 2,000 8.8–9.0 s / 363–370 MiB; 5,000 8.7–8.9 s / 369–387 MiB; 10,000 8.8 s
 * / 401 MiB. The longest stretch without an event-loop turn, 1,000 against 2,000: 40 against 73 ms of CPU (p99;
 * max 69 against 94 ms), and a day-view read during the plan p95 206 / max 420 ms against 347 / 1,116 ms (bench:engine
 * cold_plan_ui_read, load 12, measured with WAL checkpoints on a worker thread, as they are again since 2cb8749). The
 * host answering the UI is worth that CPU.
 */
const PLANNING_WRITE_BATCH = 1000;
/**
 * Planned jobs committed together: the write batches of several pages share one transaction, held open while the
 * next page is planned (storage/write-group.ts, holdWriteGroup), so each batch is still written in a task of its own
 * and freed from memory at once. What a commit costs is mostly the B-tree pages it writes to the WAL, and the outbox's
 * primary-key and subject indexes take their inserts all over: a commit of 1,000 jobs rewrote about as many of their
 * pages as it added jobs. A write from elsewhere waits for the commit, as for any group: the plan commits at its next
 * batch as soon as one waits, so it waits about one page's planning, as before. 3,000 and not 5,000: the change events
 * of a commit's jobs are held until it, and at 5,000 a first plan of 100k visits peaked at 392 MiB (issue 13: < 400);
 * its CPU, 11 pairs at load 4–10: 5,000 median 5,604 ms against 6,126 at one transaction per batch, 3,000 5,499–6,078.
 */
const PLANNING_COMMIT_JOBS = 3000;
/** A whole-book plan's writes not yet made, and the delivery-log entries that go with them. */
interface PendingPlan {
  writes: PlannedWrite[];
  logs: DeliveryLogEntry[];
  /** The outbox was empty when the plan began: no jobs to read back (see plan). */
  first: boolean;
  slice: TimeSlice;
  /** The transaction the plan's batches are being written in, until it commits (see PLANNING_COMMIT_JOBS). */
  held: HeldWriteGroup | undefined;
  /** Jobs written in `held` so far. */
  heldJobs: number;
  /** A batch is being written in `held` (its jobs and entries commit together). */
  writing: boolean;
}

export interface ReconcileBatch {
  writes: Job[];
  logs: DeliveryLogEntry[];
}

/** One subject of a planning page and how to compute its wanted jobs once its existing job ids are known. */
export interface PlannedSubject {
  kind: 'appointment' | 'client' | 'perk';
  id: string;
  appointment?: Appointment;
  /** Repeat-visit rule: for a completed visit, the client's next completed visit per service. */
  later?: ReadonlyMap<string, number>;
  desired: (known: readonly Job[]) => DesiredJob[];
}

/** What the book planner uses of the engine: its stores and its one-subject planning. */
export interface BookPlannerDeps {
  planning: PlanningStore;
  appendLog: (entries: readonly DeliveryLogEntry[]) => Promise<void>;
  /** Turns a subject's wanted jobs and its stored ones into writes and log entries (the engine's reconcile). */
  reconcile: (plan: PlanSettings, desired: DesiredJob[], existing: Job[], now: number, batch: ReconcileBatch, kind: string, appointment?: Appointment, later?: ReadonlyMap<string, number>) => void;
  /** Team events and staff messages of an appointment whose history has news for the team. */
  teamSide: (appointment: Appointment, plan: PlanSettings, now: number) => Promise<void>;
  /** Plans one subject again through the one-subject path (re-reads what is stored). */
  replanSubject: (kind: Job['subjectKind'], id: string) => Promise<void>;
}

/** How a whole-location plan walks the book (BookPlanner.plan). */
export interface PlanWalk {
  inIdOrder: boolean;
  makeWayForWindow?: boolean;
}

export class BookPlanner {
  readonly #deps: BookPlannerDeps;

  constructor(deps: BookPlannerDeps) {
    this.#deps = deps;
  }

  /**
   * Every subject of the location that can still get messages, page by page; by id when `walk.inIdOrder` (a settings
   * or location change: see PageOrder) and the outbox holds jobs, else in start order. With `walk.makeWayForWindow`
   * (the start-up plan: a catch-up nobody waits for) each turn of the event loop also waits while the window's requests
   * keep coming, as a dispatch pass does: the plan starts as the desk's first clicks come in, and took the cores from
   * them (a day switch's frame waited for a core while it ran). A change someone just made plans at full speed.
   */
  async plan(locationId: string, plan: PlanSettings, now: number, pageSize: number, services: ReadonlyMap<string, Service>, walk: PlanWalk): Promise<void> {
    const inIdOrder = walk.inIdOrder;
    // A first plan (an empty outbox: a new or imported book) has no jobs to read back.
    const first = await this.#deps.planning.outboxEmpty();
    const pending: PendingPlan = { writes: [], logs: [], first, slice: new TimeSlice(), held: undefined, heldJobs: 0, writing: false };
    if (walk.makeWayForWindow) {
      // The window's writes would wait for the plan's open transaction while the plan waits for the window: it
      // commits before making way (not halfway through a batch, which is one unit with its entries).
      pending.slice = new TimeSlice({
        makeWayForWindow: true,
        readyToMakeWay: () => {
          if (pending.writing) return false;
          commitHeld(pending);
          return true;
        },
      });
    }
    try {
      await this.#planAll(pending, locationId, plan, now, pageSize, services, inIdOrder);
    } finally {
      // After a failure: the batches since the last commit go, jobs and their entries alike (a re-plan derives them again).
      pending.held?.rollback();
    }
  }

  async #planAll(pending: PendingPlan, locationId: string, plan: PlanSettings, now: number, pageSize: number, services: ReadonlyMap<string, Service>, inIdOrder: boolean): Promise<void> {
    const first = pending.first;
    // By id only where it pays. A first plan reads no jobs back and only inserts: in start order its inserts scatter
    // over the outbox's primary-key and subject indexes, by id over its [state, dueAt] index — about as many WAL pages
    // (100k visits, strace: 555k against 502k page writes) — and listing the ids costs ~0.3 s (cold_plan CPU 6.9 s
    // against 7.1 s on average over 9 pairs, load 6-12). The start-up plan of a planned book rewrites next to nothing
    // and reads the jobs back in the order the first plan wrote their rows, start order; by id it read them all over
    // the table (100k visits, bench:engine cold child on a planned copy, 3 pairs, load 10-11: CPU 3.1-3.3 s against
    // 3.8-3.9 s, peak resident set 295-302 against 381-393 MiB).
    const order: PageOrder = first || !inIdOrder ? { byId: false } : { byId: true, breathe: () => pending.slice.breathe() };
    for await (const page of this.#deps.planning.appointmentPages(locationId, now - PLANNING_LOOKBACK_MS, pageSize, order)) {
      // Repeat-visit rule: the completed visits of the page's clients with completed visits, in one query.
      const completedClients = page.filter((a) => a.status === 'completed').map((a) => a.clientId);
      const completedByClient = await this.#deps.planning.completedVisitsOfClients(locationId, completedClients);
      await this.#planPage(
        pending,
        plan,
        now,
        page.map((appointment): PlannedSubject => {
          const later = appointment.status === 'completed' ? laterVisitsByService(appointment, completedByClient.get(appointment.clientId) ?? []) : undefined;
          const ofVisit = appointment.serviceIds.map((id) => services.get(id)).filter((s) => s !== undefined);
          return {
            kind: 'appointment',
            id: appointment.id,
            appointment,
            ...(later ? { later } : {}),
            desired: (known) => desiredAppointmentJobs(appointment, ofVisit, plan, now, { ...knownJobIds(known), ...(later ? { laterVisitByService: later } : {}) }),
          };
        }),
      );
      for (const appointment of page) {
        if (teamEventDrafts(appointment, now).length === 0 && lengthChangeDrafts(appointment, now).length === 0) continue;
        // A few durable commits each (the event, its staff messages): a page of fresh changes is seconds of them. They
        // would wait for the plan's open transaction, which waits for them: it commits first.
        await this.#commit(pending);
        await this.#deps.teamSide(appointment, plan, now);
        await pending.slice.breathe();
      }
      await pending.slice.breathe();
    }
    for await (const page of this.#deps.planning.clientPages(locationId, pageSize, order)) {
      await this.#planPage(pending, plan, now, page.map((client) => ({ kind: 'client', id: client.id, desired: () => desiredClientJobs(client, plan, now) })));
      await pending.slice.breathe();
    }
    for await (const page of this.#deps.planning.perkPages(locationId, pageSize, order)) {
      await this.#planPage(pending, plan, now, page.map((perk) => ({ kind: 'perk', id: perk.id, desired: () => desiredPerkJobs(perk, plan, now) })));
      await pending.slice.breathe();
    }
    await this.#flushPlan(pending);
    await this.#commit(pending);
  }

  /**
   * One page: its jobs read in one query (none on a first plan) and reconciled; the writes gather in `pending` and go
   * out PLANNING_WRITE_BATCH at a time, each over the revision just read, with their delivery-log entries.
   */
  async #planPage(pending: PendingPlan, plan: PlanSettings, now: number, subjects: readonly PlannedSubject[]): Promise<void> {
    const existing = pending.first ? new Map<string, Job[]>() : await this.#deps.planning.jobsOfSubjects(subjects.map((s) => s.id));
    await pending.slice.breathe();
    const batch: ReconcileBatch = { writes: [], logs: [] };
    const read = new Map<string, Job>();
    for (const subject of subjects) {
      const known = existing.get(subject.id) ?? [];
      for (const job of known) read.set(job.id, job);
      this.#deps.reconcile(plan, subject.desired(known), known, now, batch, subject.kind, subject.appointment, subject.later);
      // The jobs reconciled so far are in `batch`: a break here leaves nothing half done.
      await pending.slice.breathe();
    }
    for (const job of batch.writes) {
      const previous = read.get(job.id);
      pending.writes.push(previous ? { job, previous } : { job });
    }
    pending.logs.push(...batch.logs);
    if (pending.writes.length >= PLANNING_WRITE_BATCH) await this.#flushPlan(pending);
  }

  /**
   * Writes the gathered jobs and the delivery-log entries of their changes (a reminder cancelled: why) in one
   * transaction: a crash cannot keep the one without the other. Written apart, a crash between them kept jobs cancelled
   * with no entry saying so, and the next start, finding nothing left to cancel, never wrote it. The commit needs no
   * fsync of its own: jobs and entries are derived from the book, and a power loss that takes the tail of a plan takes
   * both, to be planned again at the next start.
   * A job that changed since it was read (another desk's dispatcher moved it on, a replication, an edit planned
   * meanwhile) is not overwritten, and its entries are not written: its subject is planned again through the
   * one-subject path, which re-reads and writes only what planning may still change.
   */
  async #flushPlan(pending: PendingPlan): Promise<void> {
    const writes = pending.writes.splice(0);
    const entries = pending.logs.splice(0);
    if (writes.length === 0 && entries.length === 0) return;
    // A write transaction is one uninterrupted task: it starts on a fresh slice.
    await pending.slice.yield();
    pending.held ??= await this.#deps.planning.holdWriteGroup();
    const held = pending.held;
    pending.writing = true;
    const conflicts = await held
      .run(async () => {
        const changed = await this.#deps.planning.writePlannedJobs(writes);
        // The entries are written in a task of their own; the transaction stays open across the turn (others wait).
        await pending.slice.yield();
        await this.#deps.appendLog(changed.size === 0 ? entries : entries.filter((entry) => !changed.has(entry.jobId)));
        return changed;
      })
      .finally(() => (pending.writing = false));
    pending.heldJobs += writes.length;
    const again = new Map<string, Job['subjectKind']>();
    for (const { job } of writes) if (conflicts.has(job.id)) again.set(job.subjectId, job.subjectKind);
    // The one-subject path writes outside the held transaction: it must be committed first.
    if (again.size > 0 || held.othersWaiting || pending.heldJobs >= PLANNING_COMMIT_JOBS) await this.#commit(pending);
    await pending.slice.yield();
    for (const [id, kind] of again) await this.#deps.replanSubject(kind, id);
  }

  /** Commits the plan's open transaction, if any, in a task of its own. */
  async #commit(pending: PendingPlan): Promise<void> {
    if (!pending.held) return;
    // Making way at this turn commits it first (see plan).
    await pending.slice.yield();
    commitHeld(pending);
  }
}

/** Commits the plan's open transaction, if any, and starts counting for the next. */
function commitHeld(pending: PendingPlan): void {
  const held = pending.held;
  pending.held = undefined;
  pending.heldJobs = 0;
  held?.commit();
}
