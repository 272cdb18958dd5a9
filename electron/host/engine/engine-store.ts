/**
 * The engine's reads and writes over the FrontDesk database. Kept apart from the engine's decisions so those stay
 * pure, and so every query the engine makes is visible (and indexed) in one place.
 */
import { recoverInterrupted } from './job-outcome.ts';
import { createRevision, now as rxNow, type RxDocumentData } from 'rxdb';
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Client } from '../../../shared/domain/client.ts';
import type { ClientPerk } from '../../../shared/domain/client-perk.ts';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import type { DeliveryLogEntry } from '../../../shared/domain/delivery-log.ts';
import type { Job, JobState } from '../../../shared/domain/job.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { NotificationSettings, NotificationType } from '../../../shared/domain/notification-settings.ts';
import type { Service } from '../../../shared/domain/service.ts';
import type { Staff } from '../../../shared/domain/staff.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import { IMMEDIATE_TYPES } from '../../../shared/engine/immediate.ts';
import { DESK_MARK } from '../../../shared/engine/team-events.ts';
import { PLANNING_LOG_WRITE_CONTEXT } from '../db/open-database.ts';
import { writeTogether } from '../storage/index.ts';

/** Jobs the dispatcher still has to act on: waiting to go out, or waiting for a delivery verdict. */
export const OPEN_JOB_STATES: readonly JobState[] = ['planned', 'sent'];

/**
 * Which open jobs a dispatch pass looks at. `desk`: this desk's id — another desk's desktop toasts are never this
 * desk's to send, wait for or recover (team-events.ts, ToastDesk). `onlyDeskToasts`: this desk's toasts alone (it may
 * not send anything else now: another desk holds the dispatch lease). Absent: every open job (no desk known).
 */
export interface DispatchScope {
  desk: string;
  onlyDeskToasts: boolean;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The part of a jobs selector that keeps a dispatch pass to its scope. */
function scopeSelector(scope: DispatchScope | undefined): Record<string, unknown> {
  if (!scope) return {};
  const own = `${escapeRegex(DESK_MARK + scope.desk)}$`;
  if (scope.onlyDeskToasts) return { channel: 'desktop', occasion: { $regex: own } };
  // Anything but a desktop toast, a toast of no desk (planned before toasts had desks), or one of this desk.
  return { $or: [{ channel: { $ne: 'desktop' } }, { occasion: { $regex: `^(?:(?!${escapeRegex(DESK_MARK)}).)*$|${own}` } }] };
}

export class EngineStore {
  readonly db: FrontDeskDatabase;
  /**
   * Verdicts of sends that happened, which the disk refused to record (full, or an I/O error): the job stayed `sending`
   * and would end `uncertain` at the next start although the provider's answer is known. Written before the next pass.
   */
  readonly #unwritten = new Map<string, { job: Job; entries: DeliveryLogEntry[] }>();

  constructor(db: FrontDeskDatabase) {
    this.db = db;
  }

  keepUnwritten(job: Job, entries: readonly DeliveryLogEntry[]): void {
    const earlier = this.#unwritten.get(job.id)?.entries ?? [];
    this.#unwritten.set(job.id, { job, entries: [...earlier, ...entries] });
  }

  /** The kept verdicts not written yet: each job as its verdict left it (state, the provider's message id). */
  unwrittenVerdicts(): Job[] {
    return [...this.#unwritten.values()].map(({ job }) => job);
  }

  /**
   * Writes the kept verdicts as the send would have (the job with its verdict, then the entries; an entry already
   * written is skipped: same id), then moves each job on from its verdicts as a restart's recovery would.
   */
  async writeUnwritten(now: number): Promise<void> {
    for (const [id, { job, entries }] of this.#unwritten) {
      await this.writeJobs([job]);
      await this.appendLog(entries);
      const { job: movedOn, logs } = recoverInterrupted(job, now);
      await this.appendLog(logs);
      await this.writeJobs([movedOn]);
      this.#unwritten.delete(id);
    }
  }

  async location(id: string): Promise<Location | undefined> {
    return (await this.db.locations.findOne(id).exec())?.toMutableJSON();
  }

  async locations(): Promise<Location[]> {
    return (await this.db.locations.find().exec()).map((doc) => doc.toMutableJSON());
  }

  async settingsOf(locationId: string): Promise<Map<NotificationType, NotificationSettings>> {
    const docs = await this.db.notification_settings.find({ selector: { locationId } }).exec();
    return new Map(docs.map((doc) => [doc.type, doc.toMutableJSON()]));
  }

  async appointment(id: string): Promise<Appointment | undefined> {
    return (await this.db.appointments.findOne(id).exec())?.toMutableJSON();
  }

  async servicesOf(locationId: string): Promise<Map<string, Service>> {
    const docs = await this.db.services.find({ selector: { locationId } }).exec();
    return new Map(docs.map((doc) => [doc.id, doc.toMutableJSON()]));
  }

  /** The client's next active booking after `afterMs`, if any (win-back and repeat-visit rules). */
  async nextActiveBooking(clientId: string, afterMs: number): Promise<Appointment | undefined> {
    const doc = await this.db.appointments
      .findOne({ selector: { clientId, startMs: { $gt: afterMs }, status: { $in: ['booked', 'confirmed', 'arrived'] } }, sort: [{ startMs: 'asc' }] })
      .exec();
    return doc?.toMutableJSON();
  }

  /** The client's completed visits, oldest first, from the [clientId, startMs] index (repeat-visit rule). */
  async completedVisitsOfClient(clientId: string): Promise<Appointment[]> {
    const docs = await this.db.appointments.find({ selector: { clientId, status: 'completed' }, sort: [{ startMs: 'asc' }] }).exec();
    return docs.map((doc) => doc.toMutableJSON());
  }

  async client(id: string): Promise<Client | undefined> {
    return (await this.db.clients.findOne(id).exec())?.toMutableJSON();
  }

  async perk(id: string): Promise<ClientPerk | undefined> {
    return (await this.db.client_perks.findOne(id).exec())?.toMutableJSON();
  }

  async services(ids: readonly string[]): Promise<Service[]> {
    const found = await this.db.services.findByIds([...ids]).exec();
    return ids.map((id) => found.get(id)?.toMutableJSON()).filter((s): s is Service => s !== undefined);
  }

  async staff(id: string): Promise<Staff | undefined> {
    return (await this.db.staff.findOne(id).exec())?.toMutableJSON();
  }

  async job(id: string): Promise<Job | undefined> {
    return (await this.db.jobs.findOne(id).exec())?.toMutableJSON();
  }

  async jobsOfSubject(subjectId: string): Promise<Job[]> {
    return (await this.db.jobs.find({ selector: { subjectId } }).exec()).map((doc) => doc.toMutableJSON());
  }

  async jobsInState(state: JobState): Promise<Job[]> {
    return (await this.db.jobs.find({ selector: { state } }).exec()).map((doc) => doc.toMutableJSON());
  }

  /** Open jobs due at or before `now`, oldest first, from the [state, dueAt] index. */
  async dueJobs(now: number, limit: number, scope?: DispatchScope): Promise<Job[]> {
    const due: Job[] = [];
    for (const state of OPEN_JOB_STATES) {
      const docs = await this.db.jobs.find({ selector: { state, dueAt: { $lte: now }, ...scopeSelector(scope) }, sort: [{ dueAt: 'asc' }], limit }).exec();
      due.push(...docs.map((doc) => doc.toMutableJSON()));
    }
    return due.sort((a, b) => a.dueAt - b.dueAt).slice(0, limit);
  }

  /**
   * Planned messages sent immediately (client messages of those types, team messages) that are due after `after`:
   * timed by a clock ahead of this desk's (another desk's, or its own before it was set back) (immediate.ts).
   */
  async plannedImmediateAfter(after: number): Promise<Job[]> {
    const clientMessages = { state: 'planned' as const, dueAt: { $gt: after }, channel: 'cascade' as const, type: { $in: [...IMMEDIATE_TYPES] } };
    const teamMessages = { state: 'planned' as const, dueAt: { $gt: after }, subjectKind: 'teamEvent' as const };
    const found = await Promise.all([clientMessages, teamMessages].map((selector) => this.db.jobs.find({ selector }).exec()));
    return found.flat().map((doc) => doc.toMutableJSON());
  }

  /** Sent jobs that still wait (a retry, a report poll, a verdict window) until after `after`. */
  async waitingAfter(after: number): Promise<Job[]> {
    return (await this.db.jobs.find({ selector: { state: 'sent', dueAt: { $gt: after } } }).exec()).map((doc) => doc.toMutableJSON());
  }

  /** The earliest due time among open jobs: what the one timer sleeps until. */
  async nextDueAt(scope?: DispatchScope): Promise<number | undefined> {
    let next: number | undefined;
    for (const state of OPEN_JOB_STATES) {
      const doc = await this.db.jobs.findOne({ selector: { state, ...scopeSelector(scope) }, sort: [{ dueAt: 'asc' }] }).exec();
      if (doc && (next === undefined || doc.dueAt < next)) next = doc.dueAt;
    }
    return next;
  }

  async writeJobs(jobs: readonly Job[]): Promise<void> {
    if (jobs.length === 0) return;
    const result = await this.db.jobs.bulkUpsert([...jobs]);
    if (result.error.length > 0) throw new Error(`Could not save ${result.error.length} outbox job(s): ${JSON.stringify(result.error[0]).slice(0, 300)}`);
  }

  /** Runs `write`'s writes to this database (jobs, their log entries) as one durable transaction (storage/write-group.ts). */
  writeTogether<T>(write: () => Promise<T>): Promise<T> {
    return writeTogether(this.db.jobs.storageInstance, write);
  }

  /**
   * Planning's writes, compare-and-swap: a new job is inserted, and a change applies only to a job still in a state
   * planning may change (planned, or a cancelled one never attempted). With sync, another desk's dispatcher may move a
   * job on (sending, sent, delivered) between planning's read and its write; overwriting that with a stale plan would
   * reach the endpoint as an ordinary update and could get the message sent again. Returns the jobs written.
   */
  async writePlanning(jobs: readonly Job[]): Promise<Job[]> {
    if (jobs.length === 0) return [];
    const storage = this.db.jobs.storageInstance;
    const current = new Map((await storage.findDocumentsById(jobs.map((job) => job.id), false)).map((doc) => [doc.id, doc]));
    const inserts = jobs.filter((job) => !current.has(job.id));
    const rows = jobs
      .filter((job) => current.has(job.id) && plannable(current.get(job.id)!))
      .map((job) => {
        const previous = current.get(job.id)!;
        const document = { ...job, _deleted: false, _attachments: {}, _meta: { ...previous._meta, lwt: rxNow() }, _rev: createRevision(this.db.token, previous) } as RxDocumentData<Job>;
        return { previous, document };
      });
    const written = new Set<string>();
    if (inserts.length > 0) {
      const result = await this.db.jobs.bulkInsert([...inserts]);
      const real = result.error.filter((e) => e.status !== 409);
      if (real.length > 0) throw new Error(`Could not save ${real.length} outbox job(s): ${JSON.stringify(real[0]).slice(0, 300)}`);
      for (const doc of result.success) written.add(doc.id);
    }
    if (rows.length > 0) {
      const result = await storage.bulkWrite(rows, 'engine-planning');
      const real = result.error.filter((e) => e.status !== 409);
      if (real.length > 0) throw new Error(`Could not save ${real.length} outbox job(s): ${JSON.stringify(real[0]).slice(0, 300)}`);
      const failed = new Set(result.error.map((e) => e.documentId));
      for (const row of rows) if (!failed.has(row.document.id)) written.add(row.document.id);
    }
    return jobs.filter((job) => written.has(job.id));
  }

  /**
   * Writes `job` only over a stored version `ours` still accepts, compare-and-swap: a version that arrived in between
   * (pulled from the endpoint, or resolved from a conflict with it) is left as it is. Answers whether it was written.
   */
  async replaceOwnJob(job: Job, ours: (stored: Job) => boolean): Promise<boolean> {
    const storage = this.db.jobs.storageInstance;
    const [previous] = await storage.findDocumentsById([job.id], false);
    if (!previous || !ours(previous as unknown as Job)) return false;
    const document = { ...job, _deleted: false, _attachments: {}, _meta: { ...previous._meta, lwt: rxNow() }, _rev: createRevision(this.db.token, previous) } as RxDocumentData<Job>;
    const result = await storage.bulkWrite([{ previous, document }], 'engine-dispatch');
    const real = result.error.filter((e) => e.status !== 409);
    if (real.length > 0) throw new Error(`Could not save outbox job ${job.id}: ${JSON.stringify(real[0]).slice(0, 300)}`);
    return result.error.length === 0;
  }

  /** New jobs only: an id that exists (planned before, here or by replication) is left exactly as it is. */
  async insertNewJobs(jobs: readonly Job[]): Promise<void> {
    if (jobs.length === 0) return;
    const result = await this.db.jobs.bulkInsert([...jobs]);
    const real = result.error.filter((e) => e.status !== 409);
    if (real.length > 0) throw new Error(`Could not save ${real.length} outbox job(s): ${JSON.stringify(real[0]).slice(0, 300)}`);
  }

  /** The job's delivery-log entries (the [jobId, atMs] index). */
  async logOfJob(jobId: string): Promise<DeliveryLogEntry[]> {
    return (await this.db.delivery_log.find({ selector: { jobId }, sort: [{ atMs: 'asc' }] }).exec()).map((doc) => doc.toMutableJSON());
  }

  async appendLog(entries: readonly DeliveryLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const result = await this.db.delivery_log.bulkInsert(inIdOrder(entries));
    // A replayed entry with the same id is already there: append-only means "at least once" is enough.
    const real = result.error.filter((e) => e.status !== 409);
    if (real.length > 0) throw new Error(`Could not write the delivery log: ${JSON.stringify(real[0]).slice(0, 300)}`);
  }

  /**
   * The log entries of planning's own decisions (jobs skipped or cancelled, with the engine's reasons): straight on the
   * storage instance, without RxDB's document layer, and without schema validation (PLANNING_LOG_WRITE_CONTEXT) —
   * nothing in them comes from outside. Durable like every log write, and append-only all the same.
   */
  async appendPlanningLog(entries: readonly DeliveryLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const rows = inIdOrder(entries).map((entry) => ({ document: { ...entry, _deleted: false, _attachments: {}, _rev: '', _meta: { lwt: 0 } } as RxDocumentData<DeliveryLogEntry> }));
    const result = await this.db.delivery_log.storageInstance.bulkWrite(rows, PLANNING_LOG_WRITE_CONTEXT);
    const real = result.error.filter((e) => e.status !== 409);
    if (real.length > 0) throw new Error(`Could not write the delivery log: ${JSON.stringify(real[0]).slice(0, 300)}`);
  }

  /** A push provider found these device tokens unregistered: the client's app is gone from those devices. */
  async dropClientPushTokens(clientId: string, channel: string, tokens: readonly string[]): Promise<void> {
    const field = channel === 'brandedPush' ? 'brandedPushTokens' : channel === 'aggregatorPush' ? 'aggregatorPushTokens' : undefined;
    const doc = field ? await this.db.clients.findOne(clientId).exec() : null;
    if (!doc || !field) return;
    const gone = new Set(tokens);
    await doc.incrementalModify((client) => {
      const kept = (client.apps[field] ?? []).filter((token) => !gone.has(token));
      const { [field]: _old, ...apps } = client.apps;
      return { ...client, apps: kept.length > 0 ? { ...apps, [field]: kept } : apps };
    });
  }

  async dropStaffPushTokens(staffId: string, tokens: readonly string[]): Promise<void> {
    const doc = await this.db.staff.findOne(staffId).exec();
    if (!doc?.adminPush?.pushTokens) return;
    const gone = new Set(tokens);
    await doc.incrementalModify((staff) => {
      const kept = (staff.adminPush?.pushTokens ?? []).filter((token) => !gone.has(token));
      const { pushTokens: _old, ...rest } = staff.adminPush ?? {};
      return { ...staff, adminPush: kept.length > 0 ? { ...rest, pushTokens: kept } : rest };
    });
  }

  async insertTeamEvent(event: TeamEvent): Promise<boolean> {
    const result = await this.db.team_events.bulkInsert([event]);
    return result.error.length === 0;
  }

  /** Adds `by` to the readers of each event; answers how many changed. Unknown ids are skipped. */
  async markTeamEventsRead(ids: readonly string[], by: string): Promise<number> {
    const docs = await this.db.team_events.findByIds([...ids]).exec();
    let updated = 0;
    for (const doc of docs.values()) {
      if (doc.readBy.includes(by)) continue;
      await doc.incrementalModify((event) => (event.readBy.includes(by) ? event : { ...event, read: true, readBy: [...event.readBy, by] }));
      updated++;
    }
    return updated;
  }

  async markAllTeamEventsRead(scope: { locationId?: string; upToMs: number }, by: string): Promise<number> {
    const selector = { ...(scope.locationId ? { locationId: scope.locationId } : {}), read: false, atMs: { $lte: scope.upToMs } };
    const docs = await this.db.team_events.find({ selector }).exec();
    if (docs.length === 0) return 0;
    // One write for all of them: a desk back from a week away may have thousands.
    const marked = docs.map((doc) => {
      const event = doc.toMutableJSON();
      return { ...event, read: true, readBy: event.readBy.includes(by) ? event.readBy : [...event.readBy, by] };
    });
    const { success } = await this.db.team_events.bulkUpsert(marked);
    return success.length;
  }

  async teamEvent(id: string): Promise<TeamEvent | undefined> {
    return (await this.db.team_events.findOne(id).exec())?.toMutableJSON();
  }
}

/**
 * In id order (an entry's id begins with its job's): the entries of one write all have the same time, so in that order
 * each of the log's indexes takes them as one run instead of scattered over its pages.
 */
function inIdOrder(entries: readonly DeliveryLogEntry[]): DeliveryLogEntry[] {
  return entries.length > 1 ? [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : [...entries];
}

function plannable(job: Job): boolean {
  return job.state === 'planned' || (job.state === 'cancelled' && job.attempts === 0 && (job.cascade ?? []).length === 0);
}
