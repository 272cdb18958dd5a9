/**
 * The planning half of the pure engine core: from one subject (an appointment, a client, a perk) as it is now, the
 * settings and the time, the jobs that should exist for it. `reconcile` then turns the difference with the jobs that
 * do exist into writes. Planning the same input twice gives the same ids and the same jobs, which is what makes two
 * desks, a restart or a replayed sync converge on one outbox (DESIGN §4.1).
 */
import { isActiveStatus, type Appointment, type AppointmentChange } from '../domain/appointment.ts';
import type { Client } from '../domain/client.ts';
import type { ClientPerk } from '../domain/client-perk.ts';
import type { Location } from '../domain/location.ts';
import type { NotificationSettings, NotificationType } from '../domain/notification-settings.ts';
import { jobId, type Job, type JobChannel, type SubjectKind } from '../domain/job.ts';
import type { Service } from '../domain/service.ts';
import type { ClientNotificationType } from '../notifications/catalog.ts';
import { applyQuietHours, isQuietHoursExempt } from '../notifications/quiet-hours.ts';
import { reasonFields, type ReasonCode, type ReasonFields, type ReasonParams } from '../notifications/reasons.ts';
import { planReminders } from '../notifications/reminder-plan.ts';
import { eventTimeHere } from './immediate.ts';
import { CHANGE_SETTLE_MS, changeAlertOccasion, changeBursts, sameSchedule, scheduleBefore, scheduleOf } from './change-burst.ts';
import { MINUTE_MS, DAY_MS, addDays, atLocalTime, daysBeforeAt, localDateOf, type LocalDate } from '../notifications/zoned-time.ts';

export interface DesiredJob {
  type: NotificationType;
  subjectKind: SubjectKind;
  subjectId: string;
  occasion: string;
  channel: JobChannel;
  dueAt: number;
  state: 'planned' | 'skipped';
  /** Why it is skipped: English text + code and parameters (shared/notifications/reasons.ts). */
  reason?: string;
  reasonCode?: string;
  reasonParams?: ReasonParams;
  /** A planned job that has not gone out by then is expired rather than sent stale. */
  notAfter: number;
  /**
   * The stamp of the event the due time counts from, when it is ahead of the planning desk's clock (immediate.ts): the
   * due time counts from now instead. So the dispatcher sends the job at the time planning stored rather than hold it
   * back, and a re-plan keeps that time unless a later event came (reconcile.ts).
   */
  dueFromNow?: number;
  /** For filters and the visit card. */
  appointmentId?: string;
  clientId?: string;
}

export interface PlanSettings {
  location: Location;
  /** Only enabled types plan anything. */
  settings: ReadonlyMap<NotificationType, NotificationSettings>;
}

/** A booking first seen later than this after it was made is old news: no confirmation (e.g. an imported book). */
export const CONFIRMATION_FRESHNESS_MS = DAY_MS;
/** How late a catch-up may still send a type whose natural limit is not the appointment start. */
export const LATENESS_MS: Readonly<Partial<Record<ClientNotificationType, number>>> = {
  winBack: 7 * DAY_MS,
  reviewRequest: 2 * DAY_MS,
  repeatVisit: 14 * DAY_MS,
  bonusAccrual: 3 * DAY_MS,
};

/**
 * Whether a saved notification setting can change any plan. Templates are rendered when a message goes out, not when
 * it is planned, and who saved last changes nothing either: saving a text alone re-plans nothing (at 10,000 upcoming
 * visits that re-plan read the whole book and 20,000 jobs to write none). `previous` is absent for a new setting.
 */
export function settingsChangeAffectsPlanning(previous: NotificationSettings | undefined, next: NotificationSettings): boolean {
  if (!previous) return true;
  return !sameValue(planningPart(previous), planningPart(next));
}

/** The fields of a setting planning reads (documents from storage also carry RxDB's bookkeeping: `_rev`, `_meta`…). */
function planningPart(settings: NotificationSettings): Record<string, unknown> {
  const { templates: _templates, updatedAt: _at, updatedBy: _by, ...rest } = settings as NotificationSettings & Record<string, unknown>;
  const { _rev: _r, _meta: _m, _attachments: _a, ...fields } = rest;
  return fields;
}

/** Structural equality of JSON values, key order ignored. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const keysB = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (keysA.length !== keysB.length) return false;
  return keysA.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** The reason fields of a job, English text in the salon's zone. */
export function because(plan: PlanSettings, code: ReasonCode, params?: ReasonParams): ReasonFields {
  return reasonFields(code, params, { timeZone: plan.location.timeZone, locale: plan.location.locale });
}

function enabled(plan: PlanSettings, type: NotificationType): NotificationSettings | undefined {
  const settings = plan.settings.get(type);
  return settings?.enabled ? settings : undefined;
}

/** Quiet hours move non-urgent messages to the end of the quiet period, never past `latestAllowed`. */
function withQuietHours(plan: PlanSettings, settings: NotificationSettings, dueAt: number, latestAllowed?: number): number {
  const { quietHours, timeZone } = plan.location;
  if (!quietHours.enabled || !settings.respectQuietHours || isQuietHoursExempt(settings.type)) return dueAt;
  return applyQuietHours({ dueAt, quietStart: quietHours.start, quietEnd: quietHours.end, timeZone, latestAllowed }).sendAt;
}

function lastIndex(history: readonly AppointmentChange[], match: (change: AppointmentChange) => boolean): number {
  for (let i = history.length - 1; i >= 0; i--) if (match(history[i]!)) return i;
  return -1;
}

function latest(history: readonly AppointmentChange[], match: (change: AppointmentChange) => boolean): AppointmentChange | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (match(history[i]!)) return history[i];
  return undefined;
}

/** What planning an appointment needs to know besides the appointment itself. */
export interface AppointmentPlanContext {
  /** Ids of the jobs the appointment already has: a confirmation already planned survives the freshness limit. */
  existingIds?: ReadonlySet<string>;
  /**
   * Ids of its jobs still planned (not sent, skipped or cancelled): a reminder planned while the booking's stamp was
   * ahead of this desk's clock was planned before its time, so the booking was made before it too.
   */
  plannedIds?: ReadonlySet<string>;
  /**
   * Repeat-visit rule: for each service of this (completed) visit, the start of the client's next completed visit with
   * the same service, if any. The invitation follows the LAST visit for a service, so those services count no more.
   */
  laterVisitByService?: ReadonlyMap<string, number>;
}

const NO_KNOWN_JOBS = { existingIds: new Set<string>(), plannedIds: new Set<string>() };

/** The context planning needs from the jobs an appointment already has. */
export function knownJobIds(known: readonly Pick<Job, 'id' | 'state'>[]): Pick<AppointmentPlanContext, 'existingIds' | 'plannedIds'> {
  // A cold plan asks this of every visit in the book, each without jobs.
  if (known.length === 0) return NO_KNOWN_JOBS;
  return { existingIds: new Set(known.map((job) => job.id)), plannedIds: new Set(known.filter((job) => job.state === 'planned').map((job) => job.id)) };
}

/** Every client job an appointment should have now. */
export function desiredAppointmentJobs(
  appointment: Appointment,
  services: readonly Service[],
  plan: PlanSettings,
  now: number,
  context: AppointmentPlanContext = {},
): DesiredJob[] {
  const existingIds = context.existingIds ?? new Set<string>();
  const jobs: DesiredJob[] = [];
  const base = { subjectKind: 'appointment' as const, subjectId: appointment.id, channel: 'cascade' as const, appointmentId: appointment.id, clientId: appointment.clientId };
  const start = appointment.startMs;
  const active = isActiveStatus(appointment.status);
  const createdAt = Date.parse(appointment.createdAt);

  const confirmation = enabled(plan, 'bookingConfirmation');
  if (confirmation && active && start > now) {
    const occasion = 'booked';
    const id = jobId({ type: 'bookingConfirmation', subjectId: appointment.id, occasion, channel: 'cascade' });
    if (existingIds.has(id) || now - createdAt <= CONFIRMATION_FRESHNESS_MS) {
      jobs.push({ ...base, type: 'bookingConfirmation', occasion, dueAt: eventTimeHere(createdAt, now), state: 'planned', notAfter: start });
    }
    // A visit restored after a cancellation: the client was told it is off, so they are told it is back on.
    const restoreIndex = lastIndex(appointment.history, (c) => c.kind === 'statusChanged' && c.from === 'cancelled');
    const restore = appointment.history[restoreIndex];
    const cancelled = restore && appointment.history.slice(0, restoreIndex).reverse().find((c) => c.kind === 'statusChanged' && c.to === 'cancelled');
    // Only a client who was told of the cancellation needs telling it is off again.
    if (restore && cancelled?.notify !== false) {
      const at = Date.parse(restore.at);
      jobs.push({ ...base, type: 'bookingConfirmation', occasion: `restored@${at}`, dueAt: eventTimeHere(at, now), state: 'planned', notAfter: start });
    }
  }

  const reminder = enabled(plan, 'reminder');
  if (reminder && active && start > now) {
    // Re-planning after a move counts from the move: a reminder that was already past then is skipped, not sent late.
    // Past by this desk's clock: a booking stamped by a desk whose clock runs ahead was made no later than now here,
    // and its reminders between now and the stamp are still ahead of the client.
    const lastMove = latest(appointment.history, (c) => c.kind === 'moved');
    const stampedAt = lastMove ? Date.parse(lastMove.at) : createdAt;
    const bookedAt = eventTimeHere(stampedAt, now);
    for (const planned of planReminders({ start, bookedAt, offsetsMinutes: reminder.timing.reminderOffsetsMinutes ?? [] })) {
      const occasion = `${planned.offsetMinutes}m@${start}`;
      // Its time has come while the stamp is still ahead of this clock: planned back then, it was booked before it.
      const plannedBeforeItsTime = planned.status === 'skipped' && planned.reason === 'pastAtBooking' && stampedAt > now && context.plannedIds?.has(jobId({ type: 'reminder', subjectId: appointment.id, occasion, channel: 'cascade' })) === true;
      if (planned.status === 'skipped' && !plannedBeforeItsTime) {
        // "Was due" of a skipped reminder is the reminder's own time (already past), not the booking time.
        const dueAt = Number.isFinite(planned.at) ? Math.max(planned.at, 0) : Math.max(bookedAt, 0);
        jobs.push({ ...base, type: 'reminder', occasion, dueAt, state: 'skipped', ...because(plan, `reminder.${planned.reason}`, { minutes: planned.offsetMinutes }), notAfter: start });
      } else {
        jobs.push({ ...base, type: 'reminder', occasion, dueAt: withQuietHours(plan, reminder, planned.at, start), state: 'planned', notAfter: start });
      }
    }
  }

  // One alert per burst of edits, sent once the burst settled, stating the visit before its first edit (change-burst.ts).
  const changeAlert = enabled(plan, 'changeAlert');
  const burst = changeBursts(appointment.history).at(-1);
  if (changeAlert && active && start > now && burst) {
    // Settled by this desk's clock when the last edit is ahead of it: the burst is still grouped, counted from now.
    const lastAt = eventTimeHere(burst.lastAt, now);
    const dueAt = Math.max(lastAt, Math.min(lastAt + CHANGE_SETTLE_MS, start - MINUTE_MS));
    const occasion = changeAlertOccasion(burst);
    const unchanged = sameSchedule(scheduleBefore(appointment, burst), scheduleOf(appointment));
    jobs.push({ ...base, type: 'changeAlert', occasion, dueAt, notAfter: start, ...(lastAt < burst.lastAt ? { dueFromNow: burst.lastAt } : {}), ...(unchanged ? { state: 'skipped', ...because(plan, 'changeAlert.noNetChange') } : { state: 'planned' }) });
  }

  const statusChange = latest(appointment.history, (c) => c.kind === 'statusChanged' && c.to === appointment.status);
  const statusAt = statusChange ? Date.parse(statusChange.at) : Date.parse(appointment.updatedAt);
  // The desk may cancel without telling the client (a duplicate booking, a call the client made): then nothing goes out.
  const silent = appointment.status === 'cancelled' && statusChange?.notify === false;

  const cancellation = enabled(plan, 'cancellationNotice');
  if (cancellation && appointment.status === 'cancelled') {
    const occasion = `cancelled@${statusAt}`;
    const planned = () => existingIds.has(jobId({ type: 'cancellationNotice', subjectId: appointment.id, occasion, channel: 'cascade' }));
    if (cancellationBeforeStart(start, statusAt, now, planned)) {
      const dueAt = eventTimeHere(statusAt, now);
      if (!silent) jobs.push({ ...base, type: 'cancellationNotice', occasion, dueAt, state: 'planned', notAfter: start });
      else jobs.push({ ...base, type: 'cancellationNotice', occasion, dueAt, state: 'skipped', ...because(plan, 'cancellation.notNotified'), notAfter: start });
    }
  }

  const winBack = enabled(plan, 'winBack');
  if (winBack && !silent && (appointment.status === 'cancelled' || appointment.status === 'noShow')) {
    const dueAt = withQuietHours(plan, winBack, statusAt + (winBack.timing.delayMinutes ?? 0) * MINUTE_MS);
    jobs.push({ ...base, type: 'winBack', occasion: `${appointment.status}@${statusAt}`, dueAt, state: 'planned', notAfter: dueAt + LATENESS_MS.winBack! });
  }

  if (appointment.status === 'completed') {
    const review = enabled(plan, 'reviewRequest');
    const reviewable = services.some((s) => !s.excludeFromReviewRequests);
    if (review && !appointment.reviewLeft) {
      const dueAt = withQuietHours(plan, review, statusAt + (review.timing.delayMinutes ?? 0) * MINUTE_MS);
      const skip = reviewable ? {} : { state: 'skipped' as const, ...because(plan, 'review.allExcluded') };
      jobs.push({ ...base, type: 'reviewRequest', occasion: `completed@${statusAt}`, dueAt, state: 'planned', notAfter: dueAt + LATENESS_MS.reviewRequest!, ...skip });
    }
    const repeat = enabled(plan, 'repeatVisit');
    // Services the client had again later are followed by that later visit's invitation, not this one's.
    const current = services.filter((s) => !context.laterVisitByService?.has(s.id));
    const intervalDays = Math.min(...current.map((s) => s.repeatIntervalDays ?? Infinity));
    if (repeat && Number.isFinite(intervalDays)) {
      const dueAt = withQuietHours(plan, repeat, repeatDueAt(start, intervalDays, repeat, plan.location.timeZone));
      jobs.push({ ...base, type: 'repeatVisit', occasion: `after@${start}`, dueAt, state: 'planned', notAfter: dueAt + LATENESS_MS.repeatVisit! });
    }
  }
  return jobs;
}

/**
 * Whether a cancellation came before the visit, so the client is told (DESIGN §2: never after the start). Its stamp is
 * the cancelling desk's clock: one running an hour fast stamps a cancellation made 40 minutes before the start 20
 * minutes after it. So a stamp after the start still counts while this desk's clock has not reached the start, and a
 * notice planned already (by a desk whose clock had not) stays wanted; the dispatching desk's clock has the last word,
 * since the notice is not sent at or after the start by it (due.ts).
 */
function cancellationBeforeStart(start: number, statusAt: number, now: number, planned: () => boolean): boolean {
  return start > statusAt || start > now || planned();
}

/** "Interval after the visit" in days is a wall-clock rule: that many calendar days later at the set local time. */
function repeatDueAt(visitStart: number, intervalDays: number, settings: NotificationSettings, timeZone: string): number {
  const day = addDays(localDateOf(visitStart, timeZone), intervalDays);
  return atLocalTime(day, settings.timing.localTime ?? '10:00', timeZone);
}

/** Birthday greeting: N days before the next birthday at a local time, once per year (the year is the occasion). */
export function desiredClientJobs(client: Client, plan: PlanSettings, now: number): DesiredJob[] {
  const birthday = enabled(plan, 'birthdayGreeting');
  const parsed = client.birthday ? parseBirthday(client.birthday) : undefined;
  if (!birthday || !parsed) return [];
  const { timeZone } = plan.location;
  const today = localDateOf(now, timeZone);
  const jobs: DesiredJob[] = [];
  // This year's and next year's: a greeting whose send day already passed this year is planned for the next one.
  for (const year of [today.year, today.year + 1]) {
    const date = birthdayIn(year, parsed.month, parsed.day);
    const dueAt = daysBeforeAt(date, birthday.timing.daysBefore ?? 0, birthday.timing.localTime ?? '10:00', timeZone);
    const birthdayStart = atLocalTime(date, '00:00', timeZone);
    if (atLocalTime(addDays(date, 1), '00:00', timeZone) <= now) continue;
    jobs.push({
      type: 'birthdayGreeting', subjectKind: 'client', subjectId: client.id, occasion: `birthday@${year}`, channel: 'cascade',
      dueAt: withQuietHours(plan, birthday, dueAt, birthdayStart), state: 'planned', notAfter: atLocalTime(addDays(date, 1), '00:00', timeZone), clientId: client.id,
    });
    break;
  }
  return jobs;
}

function parseBirthday(text: string): { month: number; day: number } | undefined {
  const match = /^(?:\d{4}|-)-(\d{2})-(\d{2})$/.exec(text);
  return match ? { month: Number(match[1]), day: Number(match[2]) } : undefined;
}

/** 29 February is greeted on 28 February in common years. */
function birthdayIn(year: number, month: number, day: number): LocalDate {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return { year, month, day: month === 2 && day === 29 && !leap ? 28 : day };
}

/** Bonus accrual right away; an expiring discount N days before its last day at a local time. */
export function desiredPerkJobs(perk: ClientPerk, plan: PlanSettings, now: number): DesiredJob[] {
  const base = { subjectKind: 'perk' as const, subjectId: perk.id, channel: 'cascade' as const, clientId: perk.clientId };
  const { timeZone } = plan.location;
  const bonus = enabled(plan, 'bonusAccrual');
  if (perk.kind === 'bonusAccrual' && bonus && (perk.points ?? 0) > 0) {
    const dueAt = withQuietHours(plan, bonus, eventTimeHere(perk.createdAtMs, now));
    return [{ ...base, type: 'bonusAccrual', occasion: 'credited', dueAt, state: 'planned', notAfter: dueAt + LATENESS_MS.bonusAccrual! }];
  }
  const expiring = enabled(plan, 'expiringDiscount');
  if ((perk.kind === 'discount' || perk.kind === 'certificate') && expiring && perk.expiresOn && !perk.used) {
    const [year, month, day] = perk.expiresOn.split('-').map(Number) as [number, number, number];
    const lastDay = { year, month, day };
    const endOfValidity = atLocalTime(addDays(lastDay, 1), '00:00', timeZone);
    if (endOfValidity <= now) return [];
    const dueAt = daysBeforeAt(lastDay, expiring.timing.daysBefore ?? 0, expiring.timing.localTime ?? '10:00', timeZone);
    return [{ ...base, type: 'expiringDiscount', occasion: `expires@${perk.expiresOn}`, dueAt: withQuietHours(plan, expiring, dueAt, endOfValidity), state: 'planned', notAfter: endOfValidity }];
  }
  return [];
}

/**
 * For each service of a completed visit, the start of the client's next completed visit with that service (the
 * repeat-visit invitation follows the last visit for a service). `clientVisits` are the client's appointments.
 */
export function laterVisitsByService(appointment: Appointment, clientVisits: readonly Appointment[]): Map<string, number> {
  const later = new Map<string, number>();
  for (const other of clientVisits) {
    if (other.id === appointment.id || other.status !== 'completed' || other.startMs <= appointment.startMs) continue;
    for (const id of other.serviceIds) {
      if (!appointment.serviceIds.includes(id)) continue;
      const known = later.get(id);
      if (known === undefined || other.startMs < known) later.set(id, other.startMs);
    }
  }
  return later;
}
