/**
 * Executes one due job: the last check (decideDue), then the cascade step by step. Every step is written to the
 * outbox as `sending` BEFORE its provider is called, so a crash in between leaves evidence that recovery turns into
 * `uncertain` instead of a second message (DESIGN §4.1).
 */
import type { Appointment } from '../../../shared/domain/appointment.ts';
import type { DeliveryLogEntry, DeliveryStatus } from '../../../shared/domain/delivery-log.ts';
import type { CascadeStep, Job, JobState } from '../../../shared/domain/job.ts';
import type { Location } from '../../../shared/domain/location.ts';
import type { NotificationSettings, NotificationType } from '../../../shared/domain/notification-settings.ts';
import { clientReach, decideClientCascade, reachReason } from '../../../shared/engine/cascade-run.ts';
import { CASCADE_ORDER } from '../../../shared/notifications/cascade.ts';
import { decideDue } from '../../../shared/engine/due.ts';
import { previousSchedule, renderFor, type MessageFacts } from '../../../shared/engine/message-context.ts';
import type { ChannelProvider, OutgoingMessage, SendOutcome } from '../../../shared/engine/provider.ts';
import type { DispatchGate } from '../../../shared/engine/dispatch-gate.ts';
import type { Channel, Language } from '../../../shared/notifications/catalog.ts';
import { plainReason, type ReasonFields } from '../../../shared/notifications/reasons.ts';
import type { EngineStore } from './engine-store.ts';

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
  /** With sync: the dispatch lease (DESIGN §4.6). Absent: this desk is the location's only dispatcher. */
  gate?: DispatchGate;
}

interface Loaded {
  location: Location;
  settings: NotificationSettings | undefined;
  facts: MessageFacts;
  futureBooking?: Appointment;
}

export function logEntry(job: Job, channel: Channel, status: DeliveryStatus, at: number, extra: Partial<DeliveryLogEntry> = {}): DeliveryLogEntry {
  return {
    id: `${job.id}#${channel}#${status}#${at}`,
    locationId: job.locationId,
    jobId: job.id,
    type: job.type,
    channel,
    recipient: extra.recipient ?? job.recipient ?? '',
    status,
    ...(job.subjectKind === 'appointment' ? { appointmentId: job.subjectId } : {}),
    at: new Date(at).toISOString(),
    atMs: at,
    ...extra,
  };
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
  return { location, settings, facts, ...(futureBooking ? { futureBooking } : {}) };
}

function recipientFor(channel: Channel, facts: MessageFacts): OutgoingMessage['recipient'] {
  const client = facts.client;
  if (!client) return {};
  const name = `${client.firstName} ${client.lastName}`.trim();
  if (channel === 'email') return { name, ...(client.email ? { email: client.email } : {}) };
  if (channel === 'sms') return { name, ...(client.phone ? { phone: client.phone } : {}) };
  if (channel === 'brandedPush') return { name, ...(client.apps.brandedPushToken ? { pushToken: client.apps.brandedPushToken } : {}) };
  return { name };
}

function describeRecipient(recipient: OutgoingMessage['recipient']): string {
  return recipient.email ?? recipient.phone ?? recipient.pushToken?.slice(0, 12) ?? recipient.staffId ?? recipient.name ?? '';
}

/** A provider's reason: its own code when it gives one, else its words quoted under a general code. */
function providerReason(outcome: { reason: string; reasonCode?: string; reasonParams?: ReasonFields['reasonParams'] }, fallback: 'provider.failed' | 'provider.notTried'): ReasonFields {
  if (outcome.reasonCode) return { reason: outcome.reason, reasonCode: outcome.reasonCode, ...(outcome.reasonParams ? { reasonParams: outcome.reasonParams } : {}) };
  return { ...plainReason(fallback, { detail: outcome.reason }), reason: outcome.reason };
}

function stepStateOf(outcome: SendOutcome): { state: JobState; log: DeliveryStatus } & ReasonFields {
  switch (outcome.status) {
    case 'delivered':
      return { state: 'delivered', log: 'delivered', ...(outcome.detail ? { reason: outcome.detail } : {}) };
    case 'accepted':
      return { state: 'sent', log: 'sent', ...(outcome.detail ? { reason: outcome.detail } : {}) };
    case 'failed':
      return { state: 'failed', log: 'failed', ...providerReason(outcome, 'provider.failed') };
    case 'notTried':
      return { state: 'skipped', log: 'notTried', ...providerReason(outcome, 'provider.notTried') };
  }
}

function reasonOnly(fields: ReasonFields): ReasonFields {
  return {
    ...(fields.reason ? { reason: fields.reason } : {}),
    ...(fields.reasonCode ? { reasonCode: fields.reasonCode } : {}),
    ...(fields.reasonParams ? { reasonParams: fields.reasonParams } : {}),
  };
}

/**
 * Runs one due client job to its next resting point: closed, finished, or waiting for a verdict. 'refused': this desk
 * may not send it now (no dispatch lease, or the hand-off to the endpoint did not complete); the job is as it was.
 */
export async function dispatchClientJob(deps: DispatchDeps, initial: Job): Promise<'done' | 'refused'> {
  const { store } = deps;
  let job = initial;
  const permit = deps.gate?.permit(job.locationId) ?? { ok: true as const };
  if (!permit.ok) return 'refused';
  const now = deps.now();
  const loaded = await load(deps, job, now);
  if (!loaded) {
    await store.writeJobs([{ ...job, state: 'cancelled', ...plainReason('location.gone'), updatedAt: new Date(now).toISOString() }]);
    return 'done';
  }
  const { location, settings, facts } = loaded;
  const decision = decideDue({
    now, job, location, settings,
    ...(facts.appointment ? { appointment: facts.appointment } : {}),
    ...(facts.client ? { client: facts.client } : {}),
    ...(facts.perk ? { perk: facts.perk } : {}),
    ...(loaded.futureBooking ? { futureBooking: loaded.futureBooking } : {}),
  });
  if (decision.action === 'close') {
    const reason = reasonOnly(decision);
    const closed = { ...job, state: decision.state, ...reason, updatedAt: new Date(now).toISOString() };
    await store.writeJobs([closed]);
    await store.appendLog([logEntry(closed, primaryChannel(job, settings), decision.state, now, { ...reason, ...(facts.client ? { clientId: facts.client.id } : {}) })]);
    return 'done';
  }
  const client = facts.client!;
  const language: Language = client.language;
  let steps: CascadeStep[] = [...(job.cascade ?? [])];
  const sandbox = location.sandboxMode;
  const readiness = (channel: Channel) => (sandbox ? { ready: true as const } : deps.provider(channel).readiness(location.id));

  for (let round = 0; round < 8; round++) {
    const at = deps.now();
    const cascade = decideClientCascade({ settings: settings!, client, steps, readiness, now: at, notAfter: decision.notAfter });
    const reach = clientReach(client, readiness);
    const logs: DeliveryLogEntry[] = [];
    // Record skips once, so the log shows why a channel was not used.
    for (const c of cascade.channels) {
      if (c.action !== 'skip' || c.reason === 'off' || steps.some((s) => s.channel === c.channel)) continue;
      // "Delivered" before may mean only "taken in sandbox mode": say which, so nobody thinks the client got it.
      const sandboxedEarlier = steps.some((s) => s.state === 'sandboxed') && !steps.some((s) => s.state === 'delivered' || s.state === 'sent');
      const reason =
        c.reason === 'unreachable'
          ? reachReason(c.channel, reach[c.channel])
          : c.reason === 'earlierDelivered'
            ? plainReason(sandboxedEarlier ? 'channel.earlierSandboxed' : 'channel.earlierDelivered')
            : plainReason('channel.tooLate');
      steps.push({ channel: c.channel, scenario: settings!.channels[c.channel]!.scenario, state: 'skipped', ...reason, at: new Date(at).toISOString() });
      logs.push(logEntry(job, c.channel, c.reason === 'unreachable' ? 'notTried' : 'skipped', at, { ...reason, clientId: client.id }));
    }
    if (cascade.send.length === 0) {
      job = finish(job, steps, cascade.waiting.length > 0 ? cascade.nextCheckAt : undefined, at);
      await store.writeJobs([job]);
      await store.appendLog(logs);
      return 'done';
    }
    for (const channel of cascade.send) {
      const rendered = renderFor(settings, job.type, channel, language, facts);
      const recipient = recipientFor(channel, facts);
      const scenario = settings!.channels[channel]!.scenario;
      const text = { ...(rendered.subject ?? rendered.title ? { subject: rendered.subject ?? rendered.title } : {}), body: rendered.body };
      const base = { recipient: describeRecipient(recipient), clientId: client.id, ...text };
      if (sandbox) {
        steps.push({ channel, scenario, state: 'sandboxed', ...plainReason('sandbox.notSent'), at: new Date(at).toISOString() });
        logs.push(logEntry(job, channel, 'sandboxed', at, { ...base, ...plainReason('sandbox.notSent') }));
        job = { ...job, rendered: { language, ...text } };
        continue;
      }
      // Persist the intent first: this write is what makes a crash during the send detectable. With sync it carries
      // the lease's fence and must reach the endpoint before the provider is called, so a desk that takes over sees
      // it and never sends the message again.
      const before = job;
      steps.push({ channel, scenario, state: 'sending', at: new Date(at).toISOString(), ...(permit.fence ? { fence: permit.fence } : {}) });
      job = { ...job, state: 'sending', attempts: job.attempts + 1, cascade: steps.map((s) => ({ ...s })), recipient: base.recipient, rendered: { language, ...text }, updatedAt: new Date(at).toISOString() };
      await store.writeJobs([job]);
      if (deps.gate && !(await handedOff(deps, deps.gate, job))) {
        // Skips recorded this round are recorded again when the job is retried.
        await store.writeJobs([{ ...before, updatedAt: new Date(deps.now()).toISOString() }]);
        return 'refused';
      }
      await store.appendLog([...logs.splice(0), logEntry(job, channel, 'attempted', at, base)]);
      // Synchronous, and nothing awaited between it and the provider call below.
      if (deps.gate && !deps.gate.stillValid(job.locationId, permit.fence)) {
        await store.writeJobs([{ ...before, updatedAt: new Date(deps.now()).toISOString() }]);
        await store.appendLog([logEntry(job, channel, 'notTried', deps.now(), { ...base, ...plainReason('send.leaseLost') })]);
        return 'refused';
      }
      const outcome = await deps.provider(channel).send({
        jobId: job.id, idempotencyKey: `${job.idempotencyKey}#${channel}`, channel, locationId: location.id, recipient,
        ...(text.subject ? { subject: text.subject } : {}), body: rendered.body,
        ...(facts.appointment ? { clickTarget: { appointmentId: facts.appointment.id } } : {}),
      }).catch((error: unknown): SendOutcome => {
        const detail = error instanceof Error ? error.message : String(error);
        return { status: 'failed', ...plainReason('provider.error', { detail }), reason: `provider error: ${detail}`, permanent: false };
      });
      const after = deps.now();
      const result = stepStateOf(outcome);
      steps = steps.map((s) => (s.channel === channel && s.state === 'sending' ? { ...s, state: result.state, ...reasonOnly(result), at: new Date(after).toISOString() } : s));
      job = { ...job, cascade: steps.map((s) => ({ ...s })), updatedAt: new Date(after).toISOString() };
      await store.writeJobs([job]);
      // Written at once, not with the round: the verdict must reach the log even if the app dies right after.
      // A crash between these two writes is repaired by `recoverInterrupted`, which rebuilds the entry from the step.
      const reply = outcome.status === 'delivered' || outcome.status === 'accepted' ? outcome.providerMessageId : undefined;
      await store.appendLog([logEntry(job, channel, result.log, after, { ...base, ...reasonOnly(result), ...(reply ? { providerReply: reply } : {}) })]);
    }
    job = { ...job, cascade: steps.map((s) => ({ ...s })) };
    await store.writeJobs([job]);
    await store.appendLog(logs);
  }
  return 'done';
}

/**
 * With sync, before a provider call: the `sending` state is on the endpoint, and the job is still this send's (no
 * merge with another desk's version moved it meanwhile). The lease itself is checked after, synchronously.
 */
async function handedOff(deps: DispatchDeps, gate: DispatchGate, job: Job): Promise<boolean> {
  if (!(await gate.handOff(job))) return false;
  const current = await deps.store.job(job.id);
  const mine = job.cascade?.find((c) => c.state === 'sending');
  return current?.state === 'sending' && current.cascade?.some((s) => s.state === 'sending' && s.channel === mine?.channel && s.at === mine.at) === true;
}

/** The job's state once the cascade rests: waiting for a verdict, or its final outcome. */
function finish(job: Job, steps: CascadeStep[], waitUntil: number | undefined, at: number): Job {
  const stamp = new Date(at).toISOString();
  const cascade = steps.map((s) => ({ ...s })).sort((a, b) => CASCADE_ORDER.indexOf(a.channel) - CASCADE_ORDER.indexOf(b.channel));
  if (waitUntil !== undefined) return { ...job, cascade, state: 'sent', dueAt: Math.max(waitUntil, at), updatedAt: stamp };
  const states = new Set(steps.map((s) => s.state));
  const final: JobState = states.has('uncertain')
    ? 'uncertain'
    : states.has('delivered') || states.has('sent')
      ? 'delivered'
      : states.has('sandboxed')
        ? 'sandboxed'
        : states.has('failed')
          ? 'failed'
          : 'skipped';
  if (final !== 'skipped') return { ...job, cascade, state: final, updatedAt: stamp };
  const reason = `no channel could reach the client: ${steps.map((s) => `${s.channel} — ${s.reason ?? s.state}`).join('; ') || 'every channel is off'}`;
  return { ...job, cascade, state: final, ...plainReason('cascade.noChannel'), reason, updatedAt: stamp };
}

const VERDICT_LOG_STATUS: Partial<Record<JobState, DeliveryStatus>> = { delivered: 'delivered', sent: 'sent', failed: 'failed' };

/**
 * After a crash, for a job found in `sending`: a step still `sending` may or may not have reached its provider, so
 * it becomes `uncertain` and is never resent; verdicts the job recorded but the log may have missed are written
 * again (same ids, so nothing is duplicated). The cascade then goes on from what is known.
 */
export function recoverInterrupted(job: Job, at: number): { job: Job; logs: DeliveryLogEntry[] } {
  const logs: DeliveryLogEntry[] = [];
  const interruptedReason = plainReason('send.interrupted');
  const text = job.rendered ? { ...(job.rendered.subject ? { subject: job.rendered.subject } : {}), body: job.rendered.body } : {};
  let interrupted = false;
  const cascade = (job.cascade ?? []).map((step) => {
    const status = VERDICT_LOG_STATUS[step.state];
    if (status && step.at) logs.push(logEntry(job, step.channel, status, Date.parse(step.at), { ...text, ...reasonOnly(step) }));
    if (step.state !== 'sending') return step;
    interrupted = true;
    logs.push(logEntry(job, step.channel, 'uncertain', at, interruptedReason));
    return { ...step, state: 'uncertain' as const, ...interruptedReason };
  });
  const stamp = new Date(at).toISOString();
  if (job.channel !== 'cascade') {
    logs.push(logEntry(job, job.channel, 'uncertain', at, interruptedReason));
    return { job: { ...job, state: 'uncertain', ...interruptedReason, updatedAt: stamp }, logs };
  }
  // An uncertain step counts as delivered in the cascade, so no fallback can reach the client twice.
  return { job: { ...job, cascade, state: 'planned', ...(interrupted ? interruptedReason : {}), updatedAt: stamp }, logs };
}
