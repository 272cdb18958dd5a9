/**
 * One subject planned again: a booking, a client or a perk changed (on this desk, in the web mode or by sync), and its
 * jobs are reconciled with what it wants now, in one transaction with the log entries of their changes. A whole-book
 * plan (book-planner.ts) reconciles each of its subjects the same way (reconcile).
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { Job } from '../../../shared/domain/job.ts';
import { desiredAppointmentJobs, desiredClientJobs, desiredPerkJobs, knownJobIds, laterVisitsByService, type DesiredJob, type PlanSettings } from '../../../shared/engine/plan.ts';
import { reconcileJobs } from '../../../shared/engine/reconcile.ts';
import type { Clock } from '../../../shared/time/clock.ts';
import type { ReconcileBatch } from './book-planner.ts';
import { logEntry } from './dispatch-job.ts';
import type { EngineStore } from './engine-store.ts';
import { explainRemoval, firstChannel } from './removal-reasons.ts';
import type { TeamSidePlanner } from './team-side.ts';

export interface SubjectPlannerDeps {
  store: EngineStore;
  clock: Clock;
  teamSide: TeamSidePlanner;
}

export class SubjectPlanner {
  readonly #deps: SubjectPlannerDeps;

  constructor(deps: SubjectPlannerDeps) {
    this.#deps = deps;
  }

  /** A location's settings as planning reads them; undefined when the location is not (or no longer) in the book. */
  async planSettings(locationId: string): Promise<PlanSettings | undefined> {
    const location = await this.#deps.store.location(locationId);
    if (!location) return undefined;
    return { location, settings: await this.#deps.store.settingsOf(locationId) };
  }

  /** Answers whether anything was planned: false when the booking or its location is not in the book. */
  async appointment(id: string): Promise<boolean> {
    const appointment = await this.#deps.store.appointment(id);
    if (!appointment) return false;
    const plan = await this.planSettings(appointment.locationId);
    if (!plan) return false;
    await this.#planAppointment(appointment, plan, this.#deps.clock.now());
    return true;
  }

  /** Answers whether anything was planned: false when the client or its location is not in the book. */
  async client(id: string): Promise<boolean> {
    const client = await this.#deps.store.client(id);
    const plan = client && (await this.planSettings(client.locationId));
    if (!client || !plan) return false;
    await this.#apply(plan, desiredClientJobs(client, plan, this.#deps.clock.now()), [client.id], 'client');
    return true;
  }

  /** Answers whether anything was planned: false when the perk or its location is not in the book. */
  async perk(id: string): Promise<boolean> {
    const perk = await this.#deps.store.perk(id);
    const plan = perk && (await this.planSettings(perk.locationId));
    if (!perk || !plan) return false;
    await this.#apply(plan, desiredPerkJobs(perk, plan, this.#deps.clock.now()), [perk.id], 'perk');
    return true;
  }

  /** A subject's wanted jobs against its stored ones: the writes and the log entries of the jobs it closes, in `batch`. */
  reconcile(plan: PlanSettings, desired: DesiredJob[], existing: Job[], now: number, batch: ReconcileBatch, kind: string, appointment?: Appointment, later?: ReadonlyMap<string, number>): void {
    const { writes, closed } = reconcileJobs({
      locationId: plan.location.id,
      desired,
      // Desktop toasts belong to team events, not to the subject's client messages.
      existing: existing.filter((job) => job.channel === 'cascade'),
      now,
      explainRemoval: (job) => explainRemoval(job, plan, appointment, later),
    });
    batch.writes.push(...writes);
    for (const job of closed) {
      const status = job.state === 'skipped' ? 'skipped' : 'cancelled';
      const reason = { reason: job.reason ?? '', ...(job.reasonCode ? { reasonCode: job.reasonCode } : {}), ...(job.reasonParams ? { reasonParams: job.reasonParams } : {}) };
      batch.logs.push(logEntry(job, firstChannel(plan, job.type), status, now, { ...reason, ...(appointment ? { clientId: appointment.clientId } : {}) }));
    }
  }

  async #planAppointment(appointment: Appointment, plan: PlanSettings, now: number): Promise<void> {
    const { store, teamSide } = this.#deps;
    // A visit that is or was completed decides which visit is the client's last for each of its services.
    const wasCompleted = appointment.history.some((c) => c.kind === 'statusChanged' && (c.to === 'completed' || c.from === 'completed'));
    const completed = wasCompleted ? await store.completedVisitsOfClient(appointment.clientId) : [];
    await this.#planOneAppointment(appointment, plan, now, completed);
    await teamSide.plan(appointment, plan, now);
    for (const earlier of completed) {
      if (earlier.id === appointment.id || earlier.startMs >= appointment.startMs || !earlier.serviceIds.some((id) => appointment.serviceIds.includes(id))) continue;
      await this.#planOneAppointment(earlier, plan, now, completed);
    }
  }

  async #planOneAppointment(appointment: Appointment, plan: PlanSettings, now: number, completed: readonly Appointment[]): Promise<void> {
    const { store } = this.#deps;
    const existing = await store.jobsOfSubject(appointment.id);
    const services = await store.services(appointment.serviceIds);
    const later = appointment.status === 'completed' ? laterVisitsByService(appointment, completed) : undefined;
    const desired = desiredAppointmentJobs(appointment, services, plan, now, { ...knownJobIds(existing), ...(later ? { laterVisitByService: later } : {}) });
    await this.#apply(plan, desired, [appointment.id], 'appointment', existing, appointment, later);
  }

  async #apply(plan: PlanSettings, desired: DesiredJob[], subjectIds: string[], kind: string, known?: Job[], appointment?: Appointment, later?: ReadonlyMap<string, number>): Promise<void> {
    const existing = known ?? (await Promise.all(subjectIds.map((id) => this.#deps.store.jobsOfSubject(id)))).flat();
    const batch: ReconcileBatch = { writes: [], logs: [] };
    this.reconcile(plan, desired, existing, this.#deps.clock.now(), batch, kind, appointment, later);
    await this.#commit(batch);
  }

  /** A subject's jobs and the log entries of their changes: one transaction, as in a whole-book plan (BookPlanner). */
  async #commit(batch: ReconcileBatch): Promise<void> {
    const { store } = this.#deps;
    await store.writeTogether(async () => {
      const written = new Set((await store.writePlanning(batch.writes)).map((job) => job.id));
      await store.appendPlanningLog(batch.logs.filter((entry) => written.has(entry.jobId)));
    });
  }
}
