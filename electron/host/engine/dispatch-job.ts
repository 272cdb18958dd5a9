/**
 * Executes one due job: the last check (decideDue), then its channel steps through the StepRunner. Every step is
 * written to the outbox as `sending` BEFORE its provider is called, so a crash in between leaves evidence that
 * recovery turns into `uncertain` instead of a second message (DESIGN §4.1). A job that waits — for a retry, a
 * delivery report, a verdict window or an earlier channel's verdict — rests in `sent` with `dueAt` at its next wake.
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { CascadeStep, Job } from '../../../shared/domain/job.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { NotificationSettings, NotificationType } from '../../../shared/domain/notification-settings.ts';
import type { Staff } from '../../../shared/domain/staff.ts';
import { clientReach, decideClientCascade, reachReason } from '../../../shared/engine/cascade-run.ts';
import { decideDue, LATE_REMINDER_MS, reminderOffsetMinutes, type DueDecision, type NextReminder } from '../../../shared/engine/due.ts';
import { laterVisitsByService } from '../../../shared/engine/plan.ts';
import { checkClientJob, checkStaffJob, type ClientJobSubject } from '../../../shared/engine/provenance.ts';
import { salonLanguage, staffIdOfJob, teamMessage, teamMessageText, type TeamEventDraft, type ToastDesk } from '../../../shared/engine/team-events.ts';
import { previousSchedule, renderFor, type MessageFacts } from '../../../shared/engine/message-context.ts';
import type { ChannelProvider, OutgoingMessage } from '../../../shared/engine/provider.ts';
import type { RetryPolicy } from '../../../shared/engine/retry-policy.ts';
import type { Channel, Language, StaffChannel } from '../../../shared/notifications/catalog.ts';
import { HOUR_MS } from '../../../shared/notifications/zoned-time.ts';
import { plainReason, reasonFields, type ReasonCode, type ReasonParams } from '../../../shared/notifications/reasons.ts';
import type { EngineStore } from './engine-store.ts';
import { logEntry, SendRefused, StepRunner, type RunnerSetup } from './step-runner.ts';
import { finish, reasonOnly } from './job-outcome.ts';
import type { DispatchGate } from '../../../shared/engine/dispatch-gate.ts';

export { logEntry } from './step-runner.ts';

export interface LocationContext {
  location: Location | undefined;
  settings: Map<NotificationType, NotificationSettings>;
}

export interface DispatchDeps {
  store: EngineStore;
  /** The location and its settings, read once per dispatch pass rather than once per job. */
  locationContext: (locationId: string) => Promise<LocationContext>;
  provider: (channel: Channel) => ChannelProvider;
  now: () => number;
  /** Jitter of retry delays; injected so tests are deterministic. */
  random?: () => number;
  retryPolicy?: RetryPolicy;
  /** With sync: the dispatch lease (DESIGN §4.6). Absent: this desk is the location's only dispatcher. */
  gate?: DispatchGate;
  /**
   * With sync: a job whose location, booking, client or perk is not on this desk may have arrived by replication
   * ahead of it (collections replicate apart). True: wait for it (the engine bounds the wait); false: it is gone.
   */
  subjectMayArrive?: (job: Job) => boolean;
  /** This desk and who works at it: a desktop toast planned for a desk is shown there only. */
  toastDesk?: (locationId: string) => ToastDesk | undefined;
}

/**
 * 'refused': this desk may not send the job now (no dispatch lease, or the hand-off to the endpoint did not
 * complete); the job is as it was before the refused send. 'deferred': what the job is about has not reached this
 * desk yet; the job is untouched, to be looked at again a little later. 'superseded': refused because the job now
 * holds another desk's version (merged in at the hand-off): that desk's to finish; this desk may go on sending.
 */
export type DispatchResult = 'done' | 'refused' | 'superseded' | 'deferred';

class SubjectNotHere extends Error {}

async function guarded(deps: DispatchDeps, job: Job, run: () => Promise<void>): Promise<DispatchResult> {
  if (deps.gate && !deps.gate.permit(job.locationId).ok) return 'refused';
  try {
    await run();
    return 'done';
  } catch (error) {
    if (error instanceof SendRefused) return error.superseded ? 'superseded' : 'refused';
    if (error instanceof SubjectNotHere) return 'deferred';
    throw error;
  }
}

/** A team message (staff email, SMS, push, toast) that could not go out within this time is no longer news. */
export const STAFF_MESSAGE_LATENESS_MS = 6 * HOUR_MS;

interface Loaded {
  location: Location;
  /** Every type's settings of the location: what planning is asked for before anything goes out. */
  allSettings: Map<NotificationType, NotificationSettings>;
  settings: NotificationSettings | undefined;
  facts: MessageFacts;
  futureBooking?: Appointment;
  nextReminder?: NextReminder;
}

/** The channel a job-level verdict is logged under: the first channel the settings use. */
function primaryChannel(job: Job, settings: NotificationSettings | undefined): Channel {
  if (job.channel !== 'cascade') return job.channel;
  const used = Object.entries(settings?.channels ?? {}).find(([, s]) => s && s.scenario !== 'off');
  return (used?.[0] as Channel | undefined) ?? 'email';
}

async function load(deps: DispatchDeps, job: Job, now: number): Promise<Loaded | undefined> {
  const { store } = deps;
  const context = await deps.locationContext(job.locationId);
  const location = context.location;
  if (!location) return undefined;
  const settings = context.settings.get(job.type);
  const facts: MessageFacts = { location };
  if (job.subjectKind === 'appointment') {
    const appointment = await store.appointment(job.subjectId);
    if (appointment) {
      facts.appointment = appointment;
      facts.services = await store.services(appointment.serviceIds);
      facts.staff = await store.staff(appointment.staffId);
      facts.client = await store.client(appointment.clientId);
      // The change alert states the visit before the first edit of its burst, every part of it (time, specialist, services).
      const before = job.type === 'changeAlert' ? previousSchedule(appointment, job.occasion) : undefined;
      if (before) facts.previous = { startMs: before.startMs, staffName: (await store.staff(before.staffId))?.name ?? '', serviceNames: (await store.services(before.serviceIds)).map((s) => s.name) };
    }
  } else if (job.subjectKind === 'client') {
    facts.client = await store.client(job.subjectId);
  } else if (job.subjectKind === 'perk') {
    facts.perk = await store.perk(job.subjectId);
    if (facts.perk) facts.client = await store.client(facts.perk.clientId);
  }
  const needsFuture = job.type === 'winBack' || job.type === 'repeatVisit';
  const futureBooking = needsFuture && facts.client ? await store.nextActiveBooking(facts.client.id, now) : undefined;
  const nextReminder = facts.appointment ? await nextReminderOf(store, job, facts.appointment, now) : undefined;
  return { location, allSettings: context.settings, settings, facts, ...(futureBooking ? { futureBooking } : {}), ...(nextReminder ? { nextReminder } : {}) };
}

const REMINDER_STILL_GOING: ReadonlySet<string> = new Set(['planned', 'sending', 'sent', 'delivered']);

/** For a late reminder not yet tried: the visit's nearest reminder with a shorter offset, to go or gone (decideDue). */
async function nextReminderOf(store: EngineStore, job: Job, appointment: Appointment, now: number): Promise<NextReminder | undefined> {
  const offset = reminderOffsetMinutes(job.occasion);
  // Only a late one asks: a reminder on time costs no extra read.
  if (job.type !== 'reminder' || offset === undefined || now - job.dueAt <= LATE_REMINDER_MS || attempted(job)) return undefined;
  let next: NextReminder | undefined;
  for (const other of await store.jobsOfSubject(appointment.id)) {
    const otherOffset = reminderOffsetMinutes(other.occasion);
    if (other.type !== 'reminder' || otherOffset === undefined || otherOffset >= offset || !other.occasion.endsWith(`@${appointment.startMs}`)) continue;
    if (!REMINDER_STILL_GOING.has(other.state)) continue;
    // One already handed to a provider has gone: its dueAt may be the wake for its delivery report.
    const dueAt = other.state === 'planned' ? other.dueAt : Math.min(other.dueAt, now);
    if (!next || dueAt < next.dueAt) next = { offsetMinutes: otherOffset, dueAt };
  }
  return next;
}

/** The subject of a client job as planning sees it, for the check that planning wants the job. */
async function subjectOf(store: EngineStore, job: Job, facts: MessageFacts): Promise<ClientJobSubject> {
  if (job.subjectKind === 'perk') return { kind: 'perk', perk: facts.perk, client: facts.client };
  if (job.subjectKind !== 'appointment') return { kind: 'client', client: facts.client };
  const appointment = facts.appointment;
  // Repeat-visit invitations follow the client's last visit for a service (plan.ts): planning needs the later ones.
  const later = appointment && job.type === 'repeatVisit' && appointment.status === 'completed' ? laterVisitsByService(appointment, await store.completedVisitsOfClient(appointment.clientId)) : undefined;
  return { kind: 'appointment', appointment, services: facts.services ?? [], client: facts.client, staff: facts.staff, ...(later ? { laterVisitByService: later } : {}) };
}

function clientRecipient(channel: Channel, facts: MessageFacts): OutgoingMessage['recipient'] {
  const client = facts.client;
  if (!client) return {};
  const base = { name: `${client.firstName} ${client.lastName}`.trim(), clientId: client.id };
  if (channel === 'email') return { ...base, ...(client.email ? { email: client.email } : {}) };
  if (channel === 'sms') return { ...base, ...(client.phone ? { phone: client.phone } : {}), ...(client.telegram?.chatId ? { telegramChatId: client.telegram.chatId } : {}) };
  if (channel === 'brandedPush') return { ...base, pushTokens: client.apps.brandedPushTokens ?? [] };
  if (channel === 'aggregatorPush') return { ...base, pushTokens: client.apps.aggregatorPushTokens ?? [] };
  return base;
}

export function staffRecipient(channel: Channel, staff: Staff): OutgoingMessage['recipient'] {
  const base = { name: staff.name, staffId: staff.id };
  if (channel === 'email') return { ...base, ...(staff.email ? { email: staff.email } : {}) };
  if (channel === 'sms') return { ...base, ...(staff.phone ? { phone: staff.phone } : {}) };
  if (channel === 'adminPush') {
    return { ...base, pushTokens: staff.adminPush?.pushTokens ?? [], ...(staff.adminPush?.ntfyTopic ? { ntfyTopic: staff.adminPush.ntfyTopic } : {}) };
  }
  return base;
}

function describeRecipient(recipient: OutgoingMessage['recipient']): string {
  const push = recipient.pushTokens && recipient.pushTokens.length > 0 ? `${recipient.pushTokens.length} device(s)` : undefined;
  const telegram = recipient.telegramChatId ? 'Telegram chat' : undefined;
  return recipient.email ?? recipient.phone ?? recipient.ntfyTopic ?? push ?? telegram ?? recipient.name ?? recipient.staffId ?? '';
}

function attempted(job: Job): boolean {
  return (job.cascade ?? []).some((s) => s.state !== 'skipped');
}

/** The job's location, booking, client or perk is not in this desk's database. */
function subjectMissing(job: Job, loaded: Loaded | undefined): boolean {
  if (!loaded) return true;
  const { facts } = loaded;
  if (job.subjectKind === 'appointment' && !facts.appointment) return true;
  if (job.subjectKind === 'perk' && !facts.perk) return true;
  return !facts.client;
}

/** Runs one due client job to its next resting point: closed, finished, or waiting. */
export function dispatchClientJob(deps: DispatchDeps, initial: Job): Promise<DispatchResult> {
  return guarded(deps, initial, () => runClientJob(deps, initial));
}

async function runClientJob(deps: DispatchDeps, initial: Job): Promise<void> {
  const { store } = deps;
  const now = deps.now();
  const loaded = await load(deps, initial, now);
  if (subjectMissing(initial, loaded) && !attempted(initial) && deps.subjectMayArrive?.(initial) === true) throw new SubjectNotHere();
  if (!loaded) {
    await store.writeJobs([{ ...initial, state: 'cancelled', ...plainReason('location.gone'), updatedAt: new Date(now).toISOString() }]);
    return;
  }
  const { location, settings, facts } = loaded;
  let decision: DueDecision = decideDue({
    now, job: initial, location, settings,
    ...(facts.appointment ? { appointment: facts.appointment } : {}),
    ...(facts.client ? { client: facts.client } : {}),
    ...(facts.perk ? { perk: facts.perk } : {}),
    ...(loaded.futureBooking ? { futureBooking: loaded.futureBooking } : {}),
    ...(loaded.nextReminder ? { nextReminder: loaded.nextReminder } : {}),
  });
  // The last word before any provider is called: is this a job the engine's own planning wants now? A job that
  // arrived from outside (replicated in, written past the engine) and is not, is closed unsent like a stale one.
  if (decision.action === 'send') {
    const check = checkClientJob(initial, await subjectOf(store, initial, facts), { location, settings: loaded.allSettings }, now);
    if (check.verdict === 'close') decision = { action: 'close', state: 'cancelled', ...reasonFields(check.reason.code, check.reason.params, { timeZone: location.timeZone, locale: location.locale }) };
    if (check.verdict === 'wait' && !attempted(initial)) {
      // Made due early outside planning: back to the time planning gives it; nothing goes out before then.
      await store.writeJobs([{ ...initial, dueAt: check.dueAt, updatedAt: new Date(now).toISOString() }]);
      return;
    }
  }
  if (decision.action === 'close' && !attempted(initial)) {
    const reason = reasonOnly(decision);
    const closed = { ...initial, state: decision.state, ...reason, updatedAt: new Date(now).toISOString() };
    await store.writeJobs([closed]);
    // Nobody was contacted: the recipient a job document carries (a peer's, for one planning never made) is not logged.
    await store.appendLog([logEntry(closed, primaryChannel(initial, settings), decision.state, now, { ...reason, recipient: '', ...(facts.client ? { clientId: facts.client.id } : {}) })]);
    return;
  }
  // Went stale after something was sent: reports are still read, but nothing new goes out.
  const stale = decision.action === 'close' ? decision : undefined;
  const notAfter = decision.action === 'send' ? decision.notAfter : Number.MAX_SAFE_INTEGER;
  const client = facts.client!;
  const language: Language = client.language;
  const sandbox = location.sandboxMode;
  const rendered = (channel: Channel) => renderFor(settings, initial.type, channel, language, facts);
  const text = (channel: Channel) => {
    const r = rendered(channel);
    return { ...(r.subject ?? r.title ? { subject: r.subject ?? r.title } : {}), body: r.body };
  };
  const setup: RunnerSetup = {
    deadline: notAfter,
    verdictWindowMinutes: (channel) => settings?.channels[channel]?.verdictWindowMinutes ?? 0,
    format: { timeZone: location.timeZone, locale: location.locale },
    message: (channel) => ({
      jobId: initial.id, idempotencyKey: `${initial.idempotencyKey}#${channel}`, channel, locationId: location.id,
      recipient: clientRecipient(channel, facts), ...text(channel),
      ...(facts.appointment ? { clickTarget: { appointmentId: facts.appointment.id } } : {}),
    }),
    logFields: (channel) => ({ recipient: describeRecipient(clientRecipient(channel, facts)), clientId: client.id, ...text(channel) }),
    dropTokens: (channel, tokens) => store.dropClientPushTokens(client.id, channel, tokens),
  };
  const runner = new StepRunner({ ...deps, random: deps.random ?? Math.random }, initial, setup);
  await relogSandboxedSteps(runner, deps, setup);
  await runner.settle();
  if (stale) await runner.dropRetries(stale.reason);
  else await runner.retryDue();
  const staleReason = stale ? { state: stale.state, ...reasonOnly(stale) } : undefined;

  let waitUntil: number | undefined;
  if (!stale && settings) {
    const readiness = (channel: Channel) => (sandbox ? { ready: true as const } : deps.provider(channel).readiness(location.id));
    for (let round = 0; round < 8; round++) {
      const at = deps.now();
      const cascade = decideClientCascade({ settings, client, type: initial.type, steps: runner.steps, readiness, now: at, notAfter });
      const reach = clientReach(client, readiness, initial.type);
      for (const c of cascade.channels) {
        if (c.action !== 'skip' || c.reason === 'off' || runner.step(c.channel)) continue;
        // "Delivered" before may mean only "taken in sandbox mode": say which, so nobody thinks the client got it.
        const sandboxedEarlier = runner.steps.some((s) => s.state === 'sandboxed') && !runner.steps.some((s) => s.state === 'delivered' || s.state === 'sent');
        const reason =
          c.reason === 'unreachable'
            ? reachReason(c.channel, reach[c.channel])
            : c.reason === 'earlierDelivered'
              ? plainReason(sandboxedEarlier ? 'channel.earlierSandboxed' : 'channel.earlierDelivered')
              : plainReason('channel.tooLate');
        await runner.skip(c.channel, settings.channels[c.channel]!.scenario, c.reason === 'unreachable' ? 'notTried' : 'skipped', reason);
      }
      waitUntil = cascade.waiting.length > 0 ? cascade.nextCheckAt : undefined;
      if (cascade.send.length === 0) break;
      for (const channel of cascade.send) {
        const scenario = settings.channels[channel]!.scenario;
        const body = text(channel);
        runner.job = { ...runner.job, recipient: describeRecipient(clientRecipient(channel, facts)), rendered: { language, ...body } };
        if (sandbox) {
          await sandboxStep(runner, deps, channel, scenario, setup);
          continue;
        }
        await runner.send(channel, scenario);
      }
    }
    // Zero-minute windows are decided at once.
    await runner.settle();
  }
  await runner.writeJob(finish(runner.job, runner.steps, waitUntil, deps.now(), staleReason));
}

/**
 * The entries of sandboxed steps that an earlier dispatch recorded on the job, written again (same ids: a replay is
 * refused as a duplicate, so nothing doubles). A sandboxed step is written job first, entry second, and without the
 * `sending` mark that recovery looks for: a crash between the two left the step without its entry, and only the next
 * dispatch of the job ever sees it (integration/verdict-crash.test.ts).
 */
async function relogSandboxedSteps(runner: StepRunner, deps: DispatchDeps, setup: RunnerSetup): Promise<void> {
  const sandboxed = runner.steps.filter((step) => step.state === 'sandboxed' && step.at !== undefined);
  if (sandboxed.length === 0) return;
  await deps.store.appendLog(sandboxed.map((step) => logEntry(runner.job, step.channel, 'sandboxed', Date.parse(step.at!), { ...setup.logFields(step.channel), ...reasonOnly(step) })));
}

async function sandboxStep(runner: StepRunner, deps: DispatchDeps, channel: Channel, scenario: CascadeStep['scenario'], setup: RunnerSetup): Promise<void> {
  const at = deps.now();
  const reason = plainReason('sandbox.notSent');
  runner.job = { ...runner.job, cascade: [...runner.steps.filter((s) => s.channel !== channel), { channel, scenario, state: 'sandboxed', ...reason, at: new Date(at).toISOString() }] };
  await runner.writeJob(runner.job, [logEntry(runner.job, channel, 'sandboxed', at, { ...setup.logFields(channel), ...reason })]);
}

/**
 * A team message to one staff member on one channel (email, adminPush, SMS, desktop toast): the same outbox rules
 * as a client message — `sending` before the call, retries, reports — with a single step.
 */
export function dispatchStaffJob(deps: DispatchDeps, initial: Job): Promise<DispatchResult> {
  return guarded(deps, initial, () => runStaffJob(deps, initial));
}

async function runStaffJob(deps: DispatchDeps, initial: Job): Promise<void> {
  const { store } = deps;
  const channel = initial.channel as Channel;
  const now = deps.now();
  const context = await deps.locationContext(initial.locationId);
  const location = context.location;
  const settings = context.settings.get(initial.type);
  const staff = await store.staff(staffIdOfJob(initial));
  const event = await store.teamEvent(initial.subjectId);
  const appointment = event?.appointmentId ? await store.appointment(event.appointmentId) : undefined;
  const desk = deps.toastDesk?.(initial.locationId);
  // Whose visit the message is about: the log's Client column says it for team messages too.
  const about = event?.clientId ?? appointment?.clientId;
  const aboutClient = about ? { clientId: about } : {};
  const verdict = location ? checkStaffJob(initial, { event, appointment, staff, plan: { location, settings: context.settings }, ...(desk ? { desk } : {}) }, now) : undefined;
  const close = async (state: 'cancelled' | 'expired', code: ReasonCode, params?: ReasonParams) => {
    const reason = reasonFields(code, params, { timeZone: location?.timeZone ?? 'UTC', ...(location ? { locale: location.locale } : {}) });
    const closed = { ...initial, state, ...reason, updatedAt: new Date(now).toISOString() };
    await store.writeJobs([closed]);
    await store.appendLog([logEntry(closed, channel, state, now, { ...reason, recipient: staff?.name ?? '', ...aboutClient })]);
  };
  const deadline = initial.dueAt + STAFF_MESSAGE_LATENESS_MS;
  if (!attempted(initial)) {
    if (!location) return close('cancelled', 'location.gone');
    if (!settings?.enabled || settings.channels[channel]?.scenario !== 'always') return close('cancelled', 'staff.channelOff', { channel, type: initial.type });
    if (!staff || !staff.active) return close('cancelled', 'staff.gone');
    if (now >= deadline) return close('expired', 'staff.late');
  }
  if (!location) return close('cancelled', 'location.gone');
  if (!staff) return close('cancelled', 'staff.gone');
  // Planning wants exactly this message (a change of a real visit, a member it concerns, a channel set to always)?
  if (!verdict?.ok) return close('cancelled', verdict?.reason.code ?? 'location.gone', verdict?.reason.params);
  const recipient = staffRecipient(channel, staff);
  // Rendered here from the change itself: the text a job or its event carries is never what goes out.
  const text = await staffMessageText(store, verdict.draft, location, settings, channel as StaffChannel);
  const setup: RunnerSetup = {
    deadline,
    verdictWindowMinutes: (c) => settings?.channels[c]?.verdictWindowMinutes ?? 0,
    format: { timeZone: location.timeZone, locale: location.locale },
    message: (c) => ({
      jobId: initial.id, idempotencyKey: `${initial.idempotencyKey}#${c}`, channel: c, locationId: location.id, recipient,
      ...(text.subject ? { subject: text.subject } : {}), body: text.body,
      clickTarget: { appointmentId: verdict.draft.appointment.id },
    }),
    logFields: () => ({ recipient: staff.name, ...aboutClient, ...text }),
    dropTokens: (_c, tokens) => store.dropStaffPushTokens(staff.id, tokens),
  };
  const runner = new StepRunner({ ...deps, random: deps.random ?? Math.random }, initial, setup);
  await relogSandboxedSteps(runner, deps, setup);
  await runner.settle();
  await runner.retryDue();
  if (!runner.step(channel)) {
    // Desktop toasts are local staff toasts: sandbox mode holds back what leaves the desk, not what it shows.
    if (location.sandboxMode && channel !== 'desktop') await sandboxStep(runner, deps, channel, 'always', setup);
    else {
      const ready = deps.provider(channel).readiness(location.id);
      const missing = missingStaffContact(channel, recipient);
      if (missing) await runner.skip(channel, 'always', 'notTried', plainReason(missing));
      else if (!ready.ready) await runner.skip(channel, 'always', 'notTried', ready.reasonCode ? reasonOnly(ready) : plainReason('channel.notConfigured', { channel, detail: ready.reason }));
      else await runner.send(channel, 'always');
    }
    await runner.settle();
  }
  await runner.writeJob(finish(runner.job, runner.steps, undefined, deps.now()));
}

/** The team message of a change on one channel, rendered as planning renders it (team-events.ts). */
async function staffMessageText(store: EngineStore, draft: TeamEventDraft, location: Location, settings: NotificationSettings | undefined, channel: StaffChannel): Promise<{ subject: string; body: string }> {
  const { appointment, change } = draft;
  const names = new Map<string, string>();
  for (const id of new Set([appointment.staffId, change.kind === 'reassigned' ? change.from : undefined, change.kind === 'reassigned' ? change.to : undefined])) {
    const member = id ? await store.staff(id) : undefined;
    if (member) names.set(member.id, member.name);
  }
  const client = await store.client(appointment.clientId);
  const services = await store.services(appointment.serviceIds);
  const { message } = teamMessage(draft, { location, client, services, staffName: (id) => names.get(id) });
  const text = teamMessageText(settings, draft.type, channel, salonLanguage(location), message);
  return { subject: text.subject ?? '', body: text.body };
}

/** The contact a staff channel needs and the member lacks, as a reason code. */
function missingStaffContact(channel: Channel, recipient: OutgoingMessage['recipient']): ReasonCode | undefined {
  if (channel === 'email' && !recipient.email) return 'staff.noEmail';
  if (channel === 'sms' && !recipient.phone) return 'staff.noPhone';
  // adminPush: the provider decides — ntfy may have a default topic for staff without their own; without one it
  // answers "could not be tried" (push.noTopic), as FCM does for a member without a device (push.noDevice).
  return undefined;
}
