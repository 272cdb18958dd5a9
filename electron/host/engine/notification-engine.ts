/**
 * The notification engine service: plans the outbox from database changes (any source: this desk's UI, the web
 * mode, replication) and dispatches due jobs. One timer sleeps until the next due job — no polling (dispatch-timer.ts)
 * — and every piece of work runs through one queue, so planning and sending never interleave on the same job
 * (work-queue.ts).
 */
import type { Subscription } from 'rxjs';
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { settingsChangeAffectsPlanning } from '../../../shared/engine/plan.ts';
import type { Job } from '../../../shared/domain/job.ts';
import type { ChannelProvider } from '../../../shared/engine/provider.ts';
import { toastDeskOf, type ToastDesk } from '../../../shared/engine/team-events.ts';
import type { TeamEvent } from '../../../shared/domain/team-event.ts';
import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { Clock, TimerHandle, Timers } from '../../../shared/time/clock.ts';
import type { ClockJumps } from '../../../shared/time/clock-watch.ts';
import type { DispatchGate } from '../../../shared/engine/dispatch-gate.ts';
import type { SyncConflictReport } from '../sync/location-sync.ts';
import { syncConflictEvent } from './sync-conflicts.ts';
import type { InboundMessage } from '../channels/providers/provider-client.ts';
import { handleClientReply, type ReplyOutcome } from './client-replies.ts';
import type { RetryPolicy } from '../../../shared/engine/retry-policy.ts';
import { EngineStore, type DispatchScope } from './engine-store.ts';
import { PlanningStore } from './planning-store.ts';
import { BookPlanner, PLANNING_PAGE } from './book-planner.ts';
import type { PlanWalk } from './book-planner.ts';
import { documentChanges } from '../db/document-changes.ts';
import { compileWriteValidator } from '../db/open-database.ts';
import { startMark } from '../start-trace.ts';
import { SendRecovery } from './send-recovery.ts';
import { TeamSidePlanner } from './team-side.ts';
import { SubjectPlanner } from './subject-planner.ts';
import { runDispatchPass, SubjectArrivals, type PassCarry } from './dispatch-pass.ts';
import { WorkQueue } from './work-queue.ts';
import { DispatchTimer } from './dispatch-timer.ts';
import { ImmediateRetime } from './immediate-retime.ts';

export type EngineState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

export interface EngineOptions {
  db: FrontDeskDatabase;
  clock: Clock;
  timers: Timers;
  /**
   * The wall clock moved apart from the timers (the computer slept, the clock was set): the dispatch timer was armed
   * by the old time and is armed again (clock-watch.ts).
   */
  clockJumps?: ClockJumps;
  /** The clock the timers follow (default performance.now()): a wait for a subject counts by both clocks. */
  monotonic?: () => number;
  provider: (channel: Channel) => ChannelProvider;
  /** Only the desk holding the dispatch lease sends (DESIGN §4.6); others plan only. */
  dispatch?: boolean;
  /** With sync: which locations this desk may send for now, and the fence to record (no gate: always, unfenced). */
  gate?: DispatchGate;
  /**
   * This desk's id: a `sending` job fenced by another desk is not this desk's crash to recover at start. With it,
   * desktop toasts are desk-local: planned per desk, shown by that desk without the dispatch lease (team-events.ts).
   */
  deskId?: () => string;
  /**
   * Who works at this desk, for a location (This desk → who works here): its desktop toasts are planned for them only.
   * Undefined or empty: for every member concerned (the desk was not told, or the location does not sync).
   */
  deskStaff?: (locationId: string) => readonly string[] | undefined;
  log?: (line: string) => void;
  /** How many due jobs one wake-up handles before yielding to other work. */
  batchSize?: number;
  /** Jitter of retry delays, in [0, 1); tests pass a fixed one. */
  random?: () => number;
  retryPolicy?: RetryPolicy;
  /** Subjects per planning page (default PLANNING_PAGE); tests make it tiny to cross many page boundaries. */
  planningPageSize?: number;
  /**
   * How long the start-up re-plan of the whole book waits (default 0). The host gives the window this head start: the
   * plan competes with the page's first load for the event loop and the CPU. Edits meanwhile are planned at once;
   * nothing is dispatched before the start-up plan has run (nothing is sent on a stale plan).
   */
  startPlanDelayMs?: number;
}

export class NotificationEngine {
  readonly store: EngineStore;
  readonly #book: BookPlanner;
  readonly #subjects: SubjectPlanner;
  readonly #recovery: SendRecovery;
  #options: EngineOptions;
  #state: EngineState = 'idle';
  readonly #queue: WorkQueue;
  readonly #wakeUp: DispatchTimer;
  #subscriptions: Subscription[] = [];
  #dispatch: boolean;
  #stopGate: (() => void) | undefined;
  #stopClockWatch: (() => void) | undefined;
  /** Jobs waiting for their subject to arrive by sync. */
  readonly #arrivals: SubjectArrivals;
  #wakeQueued = false;
  /** A dispatch pass is queued and has not started: one covers every reason to run one. */
  #dispatchQueued = false;
  /** The last pass was cut short for a change: the next one goes on from it. */
  #passCarry: PassCarry | undefined;
  /** True until the start-up plan runs: no dispatch timer is armed before it. */
  #awaitingStartPlan = false;
  #startPlanTimer: TimerHandle | undefined;
  readonly #retime: ImmediateRetime;

  constructor(options: EngineOptions) {
    this.#options = options;
    this.#queue = new WorkQueue({
      timers: options.timers,
      ...(options.log ? { log: options.log } : {}),
      stopped: () => this.#state === 'stopped',
      retrying: () => this.#state === 'running',
    });
    this.store = new EngineStore(options.db);
    const teamSide = new TeamSidePlanner(this.store, (locationId) => this.#toastDesk(locationId));
    this.#subjects = new SubjectPlanner({ store: this.store, clock: options.clock, teamSide });
    this.#recovery = new SendRecovery({
      store: this.store,
      clock: options.clock,
      provider: options.provider,
      ...(options.gate ? { gate: options.gate } : {}),
      ...(options.deskId ? { deskId: options.deskId } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
    this.#book = new BookPlanner({
      planning: new PlanningStore(options.db),
      appendLog: (entries) => this.store.appendPlanningLog(entries),
      reconcile: (...args) => this.#subjects.reconcile(...args),
      teamSide: (appointment, plan, now) => teamSide.plan(appointment, plan, now),
      replanSubject: (kind, id) => this.#replanSubject(kind, id),
    });
    this.#dispatch = options.dispatch ?? true;
    this.#arrivals = new SubjectArrivals(options.clock, options.log, options.monotonic);
    this.#retime = new ImmediateRetime({
      store: this.store,
      clock: options.clock,
      sends: (job) => this.#dispatch && (toastDeskOf(job) !== undefined ? toastDeskOf(job) === options.deskId?.() : options.gate?.permit(job.locationId).ok !== false),
      enqueue: (name, work) => this.#queue.enqueue(name, work),
      rearm: () => this.#schedule(),
      replan: (name, kind, id) =>
        this.#queue.enqueue(name, () => {
          this.#retime.started(kind, id);
          return this.#replanSubject(kind, id);
        }),
    });
    this.#wakeUp = new DispatchTimer({ store: this.store, clock: options.clock, timers: options.timers, wake: () => this.#queueDispatch() });
  }

  get state(): EngineState {
    return this.#state;
  }

  async start(): Promise<void> {
    if (this.#state !== 'idle') throw new Error(`The notification engine cannot start from state '${this.#state}'.`);
    this.#state = 'starting';
    await this.#recovery.recoverInterrupted();
    const { db } = this.#options;
    // A change of the book is planned ahead of the rest of a dispatch pass under way (WorkQueue.planningWaits).
    const plansChange = { plansChange: true };
    const on = (source: string, fn: (id: string) => Promise<void>) => (event: { documentId: string }) => this.#queue.enqueue(`${source} ${event.documentId}`, () => fn(event.documentId), plansChange);
    this.#subscriptions = [
      documentChanges(db.appointments).subscribe(on('appointment', (id) => this.replanAppointment(id))),
      documentChanges(db.clients).subscribe(on('client', (id) => this.replanClient(id))),
      documentChanges(db.client_perks).subscribe(on('perk', (id) => this.replanPerk(id))),
      documentChanges(db.notification_settings).subscribe((event) => {
        const { documentData: next, previousDocumentData: previous } = event;
        // A deleted setting turns its type off; a text alone plans nothing differently (settingsChangeAffectsPlanning).
        if (event.operation === 'UPDATE' && !next._deleted && previous && !previous._deleted && !settingsChangeAffectsPlanning(previous, next)) return;
        this.#queue.enqueue('settings', () => this.replanLocation(next.locationId), plansChange);
      }),
      documentChanges(db.locations).subscribe((event) => this.#queue.enqueue('location', () => this.replanLocation(event.documentId), plansChange)),
      // Jobs written by another instance (another window, a peer) may be due earlier than the timer thinks.
      documentChanges(db.jobs).subscribe((event) => {
        const job = event.documentData;
        this.#retime.written(job);
        // One queued re-arm covers a whole burst (a planning page writes thousands of jobs at once).
        if (job.state === 'planned' && this.#wakeUp.wakesAfter(job.dueAt) && !this.#wakeQueued) {
          this.#wakeQueued = true;
          this.#queue.enqueue('wake', () => {
            this.#wakeQueued = false;
            return this.#schedule();
          });
        }
        // Another desk's send that arrived by sync after this desk took the lease over (its outcome is unknown), or its
        // cascade left between two steps.
        if (job.state === 'sending' && this.#options.gate && (this.#recovery.isStale(job) || this.#recovery.isOwn(job) || this.#recovery.isAbandoned(job))) this.#queue.enqueue('stale send', () => this.#recovery.recoverStale());
      }),
    ];
    this.#stopClockWatch = this.#options.clockJumps?.((jumpMs) =>
      this.#queue.enqueue('clock moved', async () => {
        this.#options.log?.(`engine: the wall clock moved ${Math.round(jumpMs / 1000)} s apart from the timers; the dispatch timer is armed again`);
        this.#wakeUp.disarm();
        // Set back: what it planned to send at once is now due in the future by the clock as set.
        if (jumpMs < 0) await this.#retime.all();
        return this.#schedule();
      }),
    );
    const gate = this.#options.gate;
    if (gate) {
      this.#stopGate = gate.onChange(() =>
        this.#queue.enqueue('dispatch permit', async () => {
          this.#wakeUp.resume();
          await this.#recovery.recoverStale();
          // The lease taken over: messages another desk timed by its clock are this desk's to send now.
          await this.#retime.all();
          await this.#schedule();
        }),
      );
    }
    this.#state = 'running';
    // Planning a large book takes a while: it runs in the queue, so the host answers the UI meanwhile, and the
    // first dispatch comes after it (nothing is sent on a stale plan).
    const planBook = () => {
      this.#queue.enqueue('cold planning', async () => {
        this.#awaitingStartPlan = false;
        await this.replanEverything();
        // bench:ui waits for this after an import, so its measured starts do not include planning a new book.
        startMark('start_plan_done');
      });
      this.#queue.enqueue('retime waits', () => this.#retime.waits());
      this.#queueDispatch();
      // A settings save re-plans the book: its validator is compiled while the engine has nothing else to do.
      this.#queue.enqueue('settings validator', () => Promise.resolve(compileWriteValidator(db.notification_settings)));
    };
    const delay = this.#options.startPlanDelayMs ?? 0;
    if (delay <= 0) return planBook();
    this.#awaitingStartPlan = true;
    this.#startPlanTimer = this.#options.timers.after(delay, () => {
      this.#startPlanTimer = undefined;
      if (this.#state === 'running') planBook();
    });
  }

  async stop(): Promise<void> {
    if (this.#state === 'idle' || this.#state === 'stopped') {
      this.#state = 'stopped';
      return;
    }
    this.#state = 'stopping';
    for (const subscription of this.#subscriptions) subscription.unsubscribe();
    this.#subscriptions = [];
    this.#stopGate?.();
    this.#stopGate = undefined;
    this.#stopClockWatch?.();
    this.#stopClockWatch = undefined;
    this.#startPlanTimer?.cancel();
    this.#startPlanTimer = undefined;
    this.#wakeUp.disarm();
    this.#queue.cancelRetries();
    await this.#queue.idle();
    this.#reportUnwrittenVerdicts();
    this.#state = 'stopped';
  }

  /**
   * Verdicts the disk still refused go with this process: their jobs stay `sending` and read `uncertain` at the next
   * start. The log keeps what the providers answered, so someone can tell which of them went out.
   */
  #reportUnwrittenVerdicts(): void {
    const kept = this.store.unwrittenVerdicts();
    if (kept.length === 0) return;
    const listed = kept.map((job) => `${job.id}: ${(job.cascade ?? []).map((step) => `${step.channel} ${step.state}${step.providerMessageId ? ` ${step.providerMessageId}` : ''}`).join(', ') || job.state}`);
    this.#options.log?.(`engine: stopped with ${kept.length} verdict(s) the disk did not take; these jobs will read uncertain at the next start, what the providers answered: ${listed.join('; ')}`);
  }

  /**
   * The notification center's "read" marks. The engine owns team events (it writes them as schedule changes
   * happen), so marking them read goes through it too; a mark touches only `read`/`readBy`.
   */
  markTeamEventsRead(ids: readonly string[], by: string): Promise<number> {
    return this.store.markTeamEventsRead(ids, by);
  }

  /** "Mark all read" in the notification center: every unread event of the scope at or before `upToMs`. */
  markAllTeamEventsRead(scope: { locationId?: string; upToMs: number }, by: string): Promise<number> {
    return this.store.markAllTeamEventsRead(scope, by);
  }

  /**
   * A call or a payment an integration reported (electron/host/integrations): one notification-center row. Its id is
   * derived from the sender's own id of the call or payment, so a repeated report is one row: false when it exists.
   */
  recordTeamEvent(event: TeamEvent): Promise<boolean> {
    return this.store.insertTeamEvent(event);
  }

  /** A row of the notification center, for the integration that reported it (a repeated report answers the first). */
  teamEvent(id: string): Promise<TeamEvent | undefined> {
    return this.store.teamEvent(id);
  }

  /** Resolves when every queued piece of work is done (tests, and the API's "after save" answers). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  /** The start-up plan (and a test's): every location, in start order (see BookPlanner.plan). */
  async replanEverything(): Promise<void> {
    for (const location of await this.store.locations()) await this.replanLocation(location.id, { inIdOrder: false, makeWayForWindow: true });
  }

  /**
   * Settings or location changed, or the engine starts: re-plan every subject of the location that can still get
   * messages. The book streams by in pages (memory stays flat whatever its size); each page's jobs are read with one
   * query and written with one bulk write.
   */
  async replanLocation(locationId: string, walk: PlanWalk = { inIdOrder: true }): Promise<void> {
    const plan = await this.#subjects.planSettings(locationId);
    if (!plan) return;
    const now = this.#options.clock.now();
    const pageSize = this.#options.planningPageSize ?? PLANNING_PAGE;
    const services = await this.store.servicesOf(locationId);
    await this.#book.plan(locationId, plan, now, pageSize, services, walk);
    await this.#schedule();
  }

  async replanAppointment(id: string): Promise<void> {
    if (await this.#subjects.appointment(id)) await this.#schedule();
  }

  async replanClient(id: string): Promise<void> {
    if (await this.#subjects.client(id)) await this.#schedule();
  }

  async replanPerk(id: string): Promise<void> {
    if (await this.#subjects.perk(id)) await this.#schedule();
  }

  #replanSubject(kind: Job['subjectKind'], id: string): Promise<void> {
    return kind === 'appointment' ? this.replanAppointment(id) : kind === 'client' ? this.replanClient(id) : kind === 'perk' ? this.replanPerk(id) : Promise.resolve();
  }

  /** This desk, for a location's desktop toasts; undefined when the engine is not told which desk it runs on. */
  #toastDesk(locationId: string): ToastDesk | undefined {
    const id = this.#options.deskId?.();
    if (!id) return undefined;
    const staffIds = this.#options.deskStaff?.(locationId);
    return { id, ...(staffIds && staffIds.length > 0 ? { staffIds } : {}) };
  }

  /**
   * A message a client sent back, read from a provider: a Telegram deep-link start links the chat, "1"/"yes" confirms
   * the next visit, anything else becomes a notification-center row from that client (client-replies.ts).
   */
  receiveReply(locationId: string, message: InboundMessage): Promise<ReplyOutcome> {
    const db = this.#options.db;
    return handleClientReply({ db, locationId, now: this.#options.clock.now(), insertTeamEvent: (event) => this.store.insertTeamEvent(event) }, message);
  }

  /** Two desks changed the same booking or setting while apart: one row in the notification center, on every desk. */
  reportSyncConflict(report: SyncConflictReport): void {
    this.#queue.enqueue('sync conflict', async () => {
      const location = await this.store.location(report.locationId);
      if (!location) return;
      const staffNames = new Map<string, string>();
      if (report.kind === 'appointment') {
        for (const id of new Set([report.conflict.kept.staffId, report.conflict.replaced.staffId])) staffNames.set(id, (await this.store.staff(id))?.name ?? id);
      }
      await this.store.insertTeamEvent(syncConflictEvent(report, location, staffNames, this.#options.clock.now()));
    });
  }

  /** Sleep until the next due job: one timer, re-armed whenever the outbox changes. */
  async #schedule(): Promise<void> {
    if (this.#state !== 'running' && this.#state !== 'starting') return;
    const scope = this.#dispatchScope();
    if (!this.#dispatch || this.#awaitingStartPlan || scope === 'none') this.#wakeUp.disarm();
    else await this.#wakeUp.arm(scope);
  }

  /**
   * What this desk may dispatch now: everything but other desks' toasts; only its own toasts while it may send nothing
   * else (another desk holds the lease); 'none' without a lease and without a desk; undefined: everything (no desk known).
   */
  #dispatchScope(): DispatchScope | 'none' | undefined {
    const desk = this.#options.deskId?.();
    const gated = this.#options.gate !== undefined && !this.#options.gate.active();
    if (!desk) return gated ? 'none' : undefined;
    return { desk, onlyDeskToasts: gated };
  }

  /**
   * Queues a dispatch pass unless one is queued already: a pass cut short for a change and the timer that went off
   * meanwhile queued one each, and a change queued behind both waited for a job of each.
   */
  #queueDispatch(): void {
    if (this.#dispatchQueued) return;
    this.#dispatchQueued = true;
    this.#queue.enqueue('dispatch', () => {
      this.#dispatchQueued = false;
      return this.#runDue();
    });
  }

  async #runDue(): Promise<void> {
    const continues = this.#passCarry;
    this.#passCarry = undefined;
    if (!this.#dispatch) return;
    const scope = this.#dispatchScope();
    if (scope === 'none') return;
    const { gate, random, retryPolicy } = this.#options;
    const outcome = await runDispatchPass({
      store: this.store,
      clock: this.#options.clock,
      provider: this.#options.provider,
      scope,
      batchSize: this.#options.batchSize ?? 50,
      arrivals: this.#arrivals,
      toastDesk: (locationId) => this.#toastDesk(locationId),
      stopping: () => this.#state === 'stopping',
      planningWaits: () => this.#queue.planningWaits(),
      ...(continues ? { continues } : {}),
      ...(gate ? { gate } : {}),
      ...(random ? { random } : {}),
      ...(retryPolicy ? { retryPolicy } : {}),
    });
    if (this.#state === 'stopping') return;
    // The rest of the due jobs, after the changes waiting to be planned (each is checked against the book when its turn comes).
    if (outcome.carry) {
      this.#passCarry = outcome.carry;
      return this.#queueDispatch();
    }
    this.#wakeUp.afterPass(outcome);
    await this.#schedule();
  }
}
