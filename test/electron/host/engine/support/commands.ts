/**
 * Random command sequences for the engine property test: arbitraries for clients and commands, and a `World` that
 * applies commands to an EngineHarness while keeping a small model of each appointment (start history, status,
 * when it was cancelled) and recording every message a provider received together with the facts as they were at
 * that moment. The invariant checks read only that record, the outbox and the delivery log.
 */
import fc from 'fast-check';
import { NotificationEngine } from '../../../../../electron/host/engine/notification-engine.ts';
import type { Client } from '../../../../../shared/domain/client.ts';
import type { AppointmentStatus } from '../../../../../shared/domain/appointment.ts';
import type { NotificationType } from '../../../../../shared/domain/notification-settings.ts';
import type { OutgoingMessage, SendOutcome } from '../../../../../shared/engine/provider.ts';
import { SCENARIOS_BY_CHANNEL, type Channel, type ClientChannel, type Scenario } from '../../../../../shared/notifications/catalog.ts';
import { DAY, HOUR, MINUTE, client, type EngineHarness } from './harness.ts';

export type EmailOutcome = 'delivered' | 'failed' | 'notTried';
export type PushOrSmsOutcome = 'accepted' | 'delivered' | 'failed';

/** Appointment-related client types and the team types that become toasts: what the settings commands play with. */
export const APPOINTMENT_TYPES = ['bookingConfirmation', 'reminder', 'changeAlert', 'cancellationNotice', 'winBack', 'reviewRequest', 'repeatVisit'] as const;
const TOGGLE_TYPES: readonly NotificationType[] = [...APPOINTMENT_TYPES, 'reschedule', 'cancellation'];
const CASCADE_CHANNELS: readonly ClientChannel[] = ['email', 'aggregatorPush', 'brandedPush', 'sms'];
const CHANNEL_SCENARIOS: readonly (readonly [ClientChannel, Scenario])[] = CASCADE_CHANNELS.flatMap((c) => SCENARIOS_BY_CHANNEL[c].map((s) => [c, s] as const));

export type Command =
  | { kind: 'create'; client: number; inMinutes: number; services: 'svc1' | 'svc2' | 'both' }
  | { kind: 'move'; target: number; inMinutes: number }
  | { kind: 'reassign'; target: number }
  /** The visit made `minutes` long, its start kept (the day view's resize): a length change, not a schedule change. */
  | { kind: 'resize'; target: number; minutes: number }
  | { kind: 'cancel'; target: number }
  | { kind: 'complete'; target: number }
  | { kind: 'noShow'; target: number }
  | { kind: 'reminderOffsets'; offsets: number[] }
  | { kind: 'scenario'; type: (typeof APPOINTMENT_TYPES)[number]; channel: ClientChannel; scenario: Scenario }
  | { kind: 'toggle'; type: NotificationType; enabled: boolean }
  | { kind: 'emailOutcome'; outcome: EmailOutcome }
  | { kind: 'smsOutcome'; outcome: PushOrSmsOutcome }
  | { kind: 'brandedOutcome'; outcome: PushOrSmsOutcome }
  | { kind: 'advance'; ms: number }
  /** The desk is closed for a while: the engine stops, time passes, a new engine starts and catches up (§4.3). */
  | { kind: 'downtime'; ms: number };

/** 2–3 clients with or without email, phone, the aggregator app and the branded app. */
export const clientsArb: fc.Arbitrary<Client[]> = fc
  .array(fc.record({ email: fc.boolean(), phone: fc.boolean(), aggregator: fc.boolean(), branded: fc.boolean() }), { minLength: 2, maxLength: 3 })
  .map((specs) =>
    specs.map((spec, i) =>
      client({
        id: `c${i + 1}`,
        firstName: `Client${i + 1}`,
        email: spec.email ? `client${i + 1}@example.com` : undefined,
        phone: spec.phone ? `+49176000000${i + 1}` : undefined,
        apps: { aggregator: spec.aggregator, ...(spec.branded ? { brandedPushToken: `token-${i + 1}` } : {}) },
      }),
    ),
  );

const target = fc.nat({ max: 20 });
/** Starts 0–10 days ahead at any minute, half of them within the next 10 hours (reminder windows, visits that start). */
const inMinutes = fc.oneof(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 10 * 24 * 60 }));
const advanceMs = fc.oneof(
  fc.integer({ min: 1, max: 120 }).map((m) => m * MINUTE),
  fc.integer({ min: 1, max: 30 }).map((h) => h * HOUR),
  fc.integer({ min: 1, max: 4 }).map((d) => d * DAY),
);

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('create' as const), client: fc.nat({ max: 2 }), inMinutes, services: fc.constantFrom('svc1' as const, 'svc2' as const, 'both' as const) }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('move' as const), target, inMinutes }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('reassign' as const), target }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('resize' as const), target, minutes: fc.integer({ min: 1, max: 12 }).map((steps) => steps * 15) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('cancel' as const), target }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('complete' as const), target }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('noShow' as const), target }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('reminderOffsets' as const), offsets: fc.uniqueArray(fc.constantFrom(30, 60, 120, 180, 1440, 2880), { minLength: 1, maxLength: 3 }) }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('scenario' as const), type: fc.constantFrom(...APPOINTMENT_TYPES), pair: fc.constantFrom(...CHANNEL_SCENARIOS) }).map(({ kind, type, pair }) => ({ kind, type, channel: pair[0], scenario: pair[1] })),
    weight: 1,
  },
  { arbitrary: fc.record({ kind: fc.constant('toggle' as const), type: fc.constantFrom(...TOGGLE_TYPES), enabled: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('emailOutcome' as const), outcome: fc.constantFrom<EmailOutcome>('delivered', 'failed', 'notTried') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('smsOutcome' as const), outcome: fc.constantFrom<PushOrSmsOutcome>('accepted', 'delivered', 'failed') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('brandedOutcome' as const), outcome: fc.constantFrom<PushOrSmsOutcome>('accepted', 'delivered', 'failed') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('advance' as const), ms: advanceMs }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('downtime' as const), ms: advanceMs }), weight: 1 },
);

/** What the test knows about an appointment, updated before each write reaches the database. */
export interface ModelAppointment {
  id: string;
  clientId: string;
  staffId: string;
  startMs: number;
  /** Every start it ever had, oldest first. */
  starts: number[];
  /** Moves and re-assignments made (a change alert needs one; a length change is none). */
  scheduleEdits: number;
  status: AppointmentStatus;
  /** Index of the command that cancelled it, and the clock then. */
  cancelledAtStep?: number;
  cancelledAt?: number;
}

/** One message a provider received, with the facts as they were when it was handed over. */
export interface Received {
  step: number;
  at: number;
  channel: Channel;
  jobId: string;
  type: string;
  appointmentId?: string;
  /** The appointment's start and status at hand-off time. */
  startAtSend?: number;
  statusAtSend?: AppointmentStatus;
  cancelledBefore: boolean;
}

const ACTIVE: ReadonlySet<AppointmentStatus> = new Set(['booked', 'confirmed', 'arrived']);

function outcomeOf(outcome: EmailOutcome | PushOrSmsOutcome, channel: Channel): SendOutcome {
  switch (outcome) {
    case 'delivered':
      return { status: 'delivered', providerMessageId: `${channel}-ok` };
    case 'accepted':
      return { status: 'accepted', providerMessageId: `${channel}-accepted` };
    case 'failed':
      return { status: 'failed', reason: `${channel}: rejected by the test`, permanent: true };
    case 'notTried':
      return { status: 'notTried', reason: `${channel}: not tried (test)` };
  }
}

export class World {
  readonly h: EngineHarness;
  readonly appointments: ModelAppointment[] = [];
  readonly received: Received[] = [];
  readonly trace: string[] = [];
  step = 0;
  clientCount = 2;
  startedAt = 0;
  #outcomes: Partial<Record<Channel, EmailOutcome | PushOrSmsOutcome>> = {};

  constructor(harness: EngineHarness) {
    this.h = harness;
    for (const provider of Object.values(harness.providers)) {
      provider.script = (message) => {
        this.#record(message);
        return outcomeOf(this.#outcomes[provider.channel] ?? 'delivered', provider.channel);
      };
    }
  }

  #record(message: OutgoingMessage): void {
    const appointmentId = message.clickTarget?.appointmentId;
    const model = appointmentId ? this.appointments.find((a) => a.id === appointmentId) : undefined;
    this.received.push({
      step: this.step,
      at: this.h.time.now(),
      channel: message.channel,
      jobId: message.jobId,
      type: message.jobId.split('|')[0]!,
      ...(appointmentId ? { appointmentId } : {}),
      ...(model ? { startAtSend: model.startMs, statusAtSend: model.status } : {}),
      cancelledBefore: model?.cancelledAtStep !== undefined && model.cancelledAtStep <= this.step,
    });
  }

  #pick(index: number, usable: (a: ModelAppointment) => boolean): ModelAppointment | undefined {
    const candidates = this.appointments.filter(usable);
    return candidates.length === 0 ? undefined : candidates[index % candidates.length];
  }

  async #patchSettings(type: NotificationType, patch: (doc: { channels: Record<string, unknown>; timing: Record<string, unknown> }) => Record<string, unknown>): Promise<void> {
    const doc = await this.h.db.notification_settings.findOne(`loc1:${type}`).exec();
    if (!doc) throw new Error(`no settings for ${type}`);
    const json = doc.toMutableJSON();
    await doc.incrementalPatch({ ...patch(json as unknown as { channels: Record<string, unknown>; timing: Record<string, unknown> }), updatedAt: this.h.iso(this.h.time.now()) });
    await this.h.settle();
  }

  /** Applies one command; commands that do not apply to the current state are no-ops (and traced as such). */
  async apply(command: Command, step: number): Promise<void> {
    this.step = step;
    const h = this.h;
    const now = h.time.now();
    const note = (text: string): void => {
      this.trace.push(`#${step} t+${Math.round((now - this.startedAt) / MINUTE)}m ${text}`);
    };
    switch (command.kind) {
      case 'create': {
        const clientId = `c${(command.client % this.clientCount) + 1}`;
        const startMs = now + command.inMinutes * MINUTE;
        const id = `a${this.appointments.length + 1}`;
        this.appointments.push({ id, clientId, staffId: 's1', startMs, starts: [startMs], scheduleEdits: 0, status: 'booked' });
        note(`create ${id} ${clientId} start t+${Math.round((startMs - this.startedAt) / MINUTE)}m`);
        const serviceIds = command.services === 'both' ? ['svc1', 'svc2'] : [command.services];
        await h.book(startMs, { id, clientId, serviceIds });
        return;
      }
      case 'move': {
        const a = this.#pick(command.target, (x) => ACTIVE.has(x.status) && x.startMs > now);
        if (!a) return note('move: nothing to move');
        const startMs = now + command.inMinutes * MINUTE;
        a.startMs = startMs;
        a.starts.push(startMs);
        a.scheduleEdits++;
        note(`move ${a.id} to t+${Math.round((startMs - this.startedAt) / MINUTE)}m`);
        await h.move(a.id, startMs);
        return;
      }
      case 'reassign': {
        const a = this.#pick(command.target, (x) => ACTIVE.has(x.status) && x.startMs > now);
        if (!a) return note('reassign: nothing to reassign');
        const from = a.staffId;
        const to = from === 's1' ? 's2' : 's1';
        a.staffId = to;
        a.scheduleEdits++;
        note(`reassign ${a.id} ${from}→${to}`);
        await h.change(a.id, () => ({ staffId: to }), { kind: 'reassigned', from, to });
        return;
      }
      case 'resize': {
        const a = this.#pick(command.target, (x) => ACTIVE.has(x.status) && x.startMs > now);
        if (!a) return note('resize: nothing to resize');
        const doc = await h.db.appointments.findOne(a.id).exec();
        const end = h.iso(a.startMs + command.minutes * MINUTE);
        if (!doc || doc.end === end) return note(`resize ${a.id}: already ${command.minutes} min`);
        note(`resize ${a.id} to ${command.minutes} min`);
        await h.change(a.id, () => ({ end }), { kind: 'durationChanged', from: doc.end, to: end });
        return;
      }
      case 'cancel': {
        const a = this.#pick(command.target, (x) => ACTIVE.has(x.status));
        if (!a) return note('cancel: nothing to cancel');
        a.status = 'cancelled';
        a.cancelledAtStep = step;
        a.cancelledAt = now;
        note(`cancel ${a.id}`);
        await h.setStatus(a.id, 'cancelled');
        return;
      }
      case 'complete':
      case 'noShow': {
        const a = this.#pick(command.target, (x) => ACTIVE.has(x.status) && x.startMs <= now);
        if (!a) return note(`${command.kind}: nothing started`);
        a.status = command.kind === 'complete' ? 'completed' : 'noShow';
        note(`${a.status} ${a.id}`);
        await h.setStatus(a.id, a.status);
        return;
      }
      case 'reminderOffsets':
        note(`reminder offsets ${command.offsets.join(',')}`);
        return this.#patchSettings('reminder', (s) => ({ timing: { ...s.timing, reminderOffsetsMinutes: command.offsets } }));
      case 'scenario':
        note(`${command.type}.${command.channel} = ${command.scenario}`);
        return this.#patchSettings(command.type, (s) => ({
          channels: { ...s.channels, [command.channel]: { verdictWindowMinutes: 10, ...(s.channels[command.channel] as object | undefined), scenario: command.scenario } },
        }));
      case 'toggle': {
        note(`${command.type} ${command.enabled ? 'on' : 'off'}`);
        const doc = await h.db.notification_settings.findOne(`loc1:${command.type}`).exec();
        await doc!.incrementalPatch({ enabled: command.enabled, updatedAt: h.iso(now) });
        await h.settle();
        return;
      }
      case 'emailOutcome':
        note(`email → ${command.outcome}`);
        this.#outcomes.email = command.outcome;
        return;
      case 'smsOutcome':
        note(`sms → ${command.outcome}`);
        this.#outcomes.sms = command.outcome;
        return;
      case 'brandedOutcome':
        note(`brandedPush → ${command.outcome}`);
        this.#outcomes.brandedPush = command.outcome;
        return;
      case 'advance':
        note(`advance ${Math.round(command.ms / MINUTE)}m`);
        await h.advance(command.ms);
        return;
      case 'downtime':
        note(`downtime ${Math.round(command.ms / MINUTE)}m`);
        await h.engine.stop();
        await h.time.advance(command.ms, async () => {});
        h.engine = new NotificationEngine({ db: h.db, clock: h.time, timers: h.time, provider: (c) => h.providers[c] });
        await h.engine.start();
        await h.settle();
        return;
    }
  }
}

/** Opens a world for one run: the harness with these clients, providers recording into the world. */
export async function openWorld(create: (clients: Client[]) => Promise<EngineHarness>, clients: Client[]): Promise<World> {
  const world = new World(await create(clients));
  world.clientCount = clients.length;
  world.startedAt = world.h.time.now();
  return world;
}
