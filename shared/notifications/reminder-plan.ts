/**
 * Reminder times from the appointment start and the salon's offsets (DESIGN.md §2): offsets are elapsed time (§4.4),
 * a reminder is never at or after the start, and one whose time had already passed when the booking was made is
 * skipped with a reason rather than sent late.
 */
import { MINUTE_MS } from './zoned-time.ts';

export interface ReminderPlanInput {
  /** Appointment start, epoch ms. */
  readonly start: number;
  /** When the booking was made (or moved — re-planning uses the move time), epoch ms. */
  readonly bookedAt: number;
  /** Minutes before the start, e.g. [1440, 120]. */
  readonly offsetsMinutes: readonly number[];
}

export type ReminderSkipReason =
  /** The reminder time was at or before the booking time. */
  | 'pastAtBooking'
  /** Offset ≤ 0: the reminder would be at or after the start. */
  | 'notBeforeStart'
  /** The same offset appears twice in the settings; it is planned once. */
  | 'duplicateOffset'
  /** Not a finite number of minutes. */
  | 'invalidOffset';

export type PlannedReminder =
  | { readonly offsetMinutes: number; readonly at: number; readonly status: 'planned' }
  | {
      readonly offsetMinutes: number;
      readonly at: number;
      readonly status: 'skipped';
      readonly reason: ReminderSkipReason;
      /** Human-readable, for the delivery log. */
      readonly message: string;
    };

/**
 * One entry per configured offset, in the order given. A reminder due exactly at the booking instant is skipped too:
 * the booking confirmation goes out at that moment and already carries the same details.
 */
export function planReminders(input: ReminderPlanInput): PlannedReminder[] {
  const seen = new Set<number>();
  return input.offsetsMinutes.map((offsetMinutes): PlannedReminder => {
    const at = input.start - offsetMinutes * MINUTE_MS;
    const label = formatOffset(offsetMinutes);
    if (!Number.isFinite(offsetMinutes)) {
      return { offsetMinutes, at, status: 'skipped', reason: 'invalidOffset', message: `reminder offset ${String(offsetMinutes)} is not a number of minutes` };
    }
    if (seen.has(offsetMinutes)) {
      return { offsetMinutes, at, status: 'skipped', reason: 'duplicateOffset', message: `reminder ${label} before is configured twice; planned once` };
    }
    seen.add(offsetMinutes);
    if (offsetMinutes <= 0) {
      return { offsetMinutes, at, status: 'skipped', reason: 'notBeforeStart', message: `reminder offset ${label} is not before the start; reminders are never sent at or after the start` };
    }
    if (at <= input.bookedAt) {
      return { offsetMinutes, at, status: 'skipped', reason: 'pastAtBooking', message: `reminder time ${label} before is already past when the booking was made` };
    }
    return { offsetMinutes, at, status: 'planned' };
  });
}

/** 1440 → "24 h", 90 → "1 h 30 min", 45 → "45 min", 10080 → "168 h" (hours, as the settings speak of them). */
export function formatOffset(minutes: number): string {
  if (!Number.isFinite(minutes)) return String(minutes);
  const sign = minutes < 0 ? '-' : '';
  const abs = Math.abs(Math.round(minutes));
  const h = Math.floor(abs / 60);
  const m = abs % 60;
  if (h === 0) return `${sign}${m} min`;
  return m === 0 ? `${sign}${h} h` : `${sign}${h} h ${m} min`;
}
