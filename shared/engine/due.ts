/**
 * The last check before a due job goes out: is it still true, still wanted, still in time? Planning already cancels
 * what a change made obsolete; this guard makes "never stale" hold even when a change and a due time race, and
 * decides catch-up after downtime (DESIGN §4.2–§4.3): send if still meaningful, else expire with the reason.
 */
import { isActiveStatus, type Appointment } from '../domain/appointment.ts';
import type { Client } from '../domain/client.ts';
import type { ClientPerk } from '../domain/client-perk.ts';
import type { Job } from '../domain/job.ts';
import type { Location } from '../domain/location.ts';
import type { NotificationSettings } from '../domain/notification-settings.ts';
import { isMarketingType, type ClientNotificationType } from '../notifications/catalog.ts';
import { reasonFields, type ReasonCode, type ReasonFields, type ReasonParams } from '../notifications/reasons.ts';
import { addDays, atLocalTime } from '../notifications/zoned-time.ts';
import { LATENESS_MS } from './plan.ts';

export interface DueFacts {
  now: number;
  job: Job;
  location: Location;
  settings: NotificationSettings | undefined;
  appointment?: Appointment;
  client?: Client;
  perk?: ClientPerk;
  /** The client's next active booking after now, for win-back and repeat-visit invitations. */
  futureBooking?: Appointment;
  /** For a late reminder: the visit's nearest reminder with a shorter offset that is still to go or gone out. */
  nextReminder?: NextReminder;
}

export interface NextReminder {
  offsetMinutes: number;
  dueAt: number;
}

/** A reminder this long past its time was not sent when due: the desk was off, offline, or not the dispatcher. */
export const LATE_REMINDER_MS = 15 * 60_000;
/**
 * A late reminder gives way to the visit's next reminder when that one is due by then: the client would get two
 * reminders of one visit within minutes (a desk switched on in the morning after a day off sent the day-before and the
 * two-hours-before reminders of every morning visit at once).
 */
export const REMINDER_MERGE_WINDOW_MS = 30 * 60_000;

/** The offset of a reminder's occasion (`<minutes>m@<start>`), or undefined for another occasion. */
export function reminderOffsetMinutes(occasion: string): number | undefined {
  const match = /^(\d+)m@/.exec(occasion);
  return match ? Number(match[1]) : undefined;
}

export type DueDecision =
  | { action: 'send'; notAfter: number }
  | ({ action: 'close'; state: 'cancelled' | 'expired' | 'skipped'; reason: string } & ReasonFields);

const BEFORE_START: ReadonlySet<string> = new Set(['bookingConfirmation', 'reminder', 'changeAlert', 'cancellationNotice']);

export function decideDue(facts: DueFacts): DueDecision {
  const { job, now, settings, appointment, client, location } = facts;
  const close = (state: 'cancelled' | 'expired' | 'skipped', code: ReasonCode, params?: ReasonParams): DueDecision => {
    const fields = reasonFields(code, params, { timeZone: location.timeZone, locale: location.locale });
    return { action: 'close', state, ...fields };
  };

  if (!settings?.enabled) return close('cancelled', 'type.off', { type: job.type });
  if (!client) return close('cancelled', 'client.gone');
  const type = job.type as ClientNotificationType;
  if (client.optOuts.includes(type)) return close('skipped', 'client.optedOut', { type });
  if (isMarketingType(type) && !client.marketingConsent) return close('skipped', 'client.noConsent');

  let notAfter = job.dueAt + (LATENESS_MS[type] ?? 0);
  if (job.subjectKind === 'appointment') {
    if (!appointment) return close('cancelled', 'appointment.gone');
    const start = appointment.startMs;
    if (BEFORE_START.has(type)) {
      notAfter = start;
      if (type === 'cancellationNotice') {
        if (appointment.status !== 'cancelled') return close('cancelled', 'appointment.notCancelled');
      } else {
        if (appointment.status === 'cancelled') return close('cancelled', 'appointment.cancelled');
        if (!isActiveStatus(appointment.status)) return close('cancelled', 'appointment.status', { status: appointment.status });
        if (type === 'reminder' && !job.occasion.endsWith(`@${start}`)) return close('cancelled', 'appointment.moved', { startAt: start });
      }
      if (now >= start) return close('expired', 'appointment.started', { startAt: start });
      const next = facts.nextReminder;
      if (type === 'reminder' && next && now - job.dueAt > LATE_REMINDER_MS && next.dueAt <= now + REMINDER_MERGE_WINDOW_MS) {
        return close('expired', 'reminder.superseded', { dueAt: job.dueAt, minutes: next.offsetMinutes, nextAt: next.dueAt });
      }
    }
    if (type === 'winBack') {
      if (appointment.status !== 'cancelled' && appointment.status !== 'noShow') return close('cancelled', 'appointment.status', { status: appointment.status });
      if (facts.futureBooking) return close('skipped', 'client.futureBooking', { startAt: facts.futureBooking.startMs });
    }
    if (type === 'repeatVisit' && facts.futureBooking) return close('skipped', 'client.futureBooking', { startAt: facts.futureBooking.startMs });
    if (type === 'reviewRequest') {
      if (appointment.status !== 'completed') return close('cancelled', 'appointment.status', { status: appointment.status });
      if (appointment.reviewLeft) return close('skipped', 'review.alreadyLeft');
    }
  }
  if (type === 'birthdayGreeting') {
    const year = Number(job.occasion.split('@')[1]);
    const [, month, day] = /-(\d{2})-(\d{2})$/.exec(client.birthday ?? '') ?? [];
    if (!month || !day) return close('cancelled', 'birthday.gone');
    notAfter = atLocalTime(addDays({ year, month: Number(month), day: Number(day) }, 1), '00:00', location.timeZone);
  }
  if (type === 'expiringDiscount') {
    const perk = facts.perk;
    if (!perk) return close('cancelled', 'discount.gone');
    if (perk.used) return close('skipped', 'discount.used');
    const [year, month, day] = (perk.expiresOn ?? '0-0-0').split('-').map(Number) as [number, number, number];
    notAfter = atLocalTime(addDays({ year, month, day }, 1), '00:00', location.timeZone);
  }
  if (now >= notAfter) return close('expired', 'due.tooLate', { dueAt: job.dueAt, limitAt: notAfter });
  return { action: 'send', notAfter };
}
