/**
 * Quiet hours (DESIGN.md §4.4): non-urgent client messages that fall inside the salon's quiet period (e.g.
 * 21:00–09:00 local, possibly across midnight) move to the end of that period — unless the end is at or past
 * `latestAllowed` (for a reminder: the appointment start), in which case the message keeps its original time, because
 * a reminder during the evening is better than none, and a reminder at or after the start is worthless (§2).
 */
import type { ClientNotificationType, TeamEventType } from './catalog.ts';
import { addDays, atLocalTime, localMinuteOfDay, localDateOf, parseTimeOfDay, zonedParts } from './zoned-time.ts';

/**
 * Transactional messages answer something that just happened (a booking, a change, a cancellation): holding them
 * back until morning would leave the client unsure whether the action worked, so they ignore quiet hours. Team events
 * are for staff, not clients, and §4.4 limits quiet hours to client messages. Everything else — reminders, win-back,
 * reviews, birthday, bonus, discount, repeat visit — is non-urgent and moved.
 */
export function isQuietHoursExempt(type: ClientNotificationType | TeamEventType): boolean {
  return QUIET_HOURS_EXEMPT.has(type);
}

const QUIET_HOURS_EXEMPT: ReadonlySet<string> = new Set<ClientNotificationType | TeamEventType>([
  'bookingConfirmation',
  'changeAlert',
  'cancellationNotice',
  'newBooking',
  'reschedule',
  'cancellation',
  'qrPayment',
  'incomingCall',
]);

export interface QuietHoursInput {
  /** When the message would be sent without quiet hours (epoch ms). */
  readonly dueAt: number;
  /** Local "HH:MM" at which the quiet period begins (inclusive). */
  readonly quietStart: string;
  /** Local "HH:MM" at which it ends (exclusive). Equal to quietStart means no quiet hours. */
  readonly quietEnd: string;
  readonly timeZone: string;
  /** The message must go out strictly before this instant (e.g. the appointment start). */
  readonly latestAllowed?: number;
}

export type QuietHoursReason =
  /** Inside quiet hours; moved to their end. */
  | 'movedToQuietEnd'
  /** Inside quiet hours, but their end is at or past latestAllowed: sent at the original time instead. */
  | 'quietEndPastLatestAllowed';

export interface QuietHoursDecision {
  readonly sendAt: number;
  readonly moved: boolean;
  readonly inQuietHours: boolean;
  /** Set whenever dueAt fell inside quiet hours. */
  readonly reason?: QuietHoursReason;
  /** The end of the quiet period containing dueAt, when it did. */
  readonly quietEndAt?: number;
}

/** True when the local time of day at `at` lies in [start, end), wrapping past midnight when start > end. */
export function isInQuietHours(at: number, quietStart: string, quietEnd: string, timeZone: string): boolean {
  const start = toMinutes(quietStart);
  const end = toMinutes(quietEnd);
  if (start === end) return false;
  const m = localMinuteOfDay(at, timeZone);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

export function applyQuietHours(input: QuietHoursInput): QuietHoursDecision {
  const { dueAt, quietStart, quietEnd, timeZone, latestAllowed } = input;
  if (!isInQuietHours(dueAt, quietStart, quietEnd, timeZone)) {
    return { sendAt: dueAt, moved: false, inQuietHours: false };
  }
  const start = toMinutes(quietStart);
  const end = toMinutes(quietEnd);
  const today = localDateOf(dueAt, timeZone);
  // Across midnight, the evening part ends tomorrow morning; the early-morning part ends today.
  const endsTomorrow = start > end && localMinuteOfDay(dueAt, timeZone) >= start;
  // atLocalTime resolves a quiet end inside a DST gap forward, never backward into the quiet period.
  const quietEndAt = laterInFold(atLocalTime(endsTomorrow ? addDays(today, 1) : today, quietEnd, timeZone), dueAt, timeZone);
  if (latestAllowed !== undefined && quietEndAt >= latestAllowed) {
    return { sendAt: dueAt, moved: false, inQuietHours: true, reason: 'quietEndPastLatestAllowed', quietEndAt };
  }
  return { sendAt: quietEndAt, moved: true, inQuietHours: true, reason: 'movedToQuietEnd', quietEndAt };
}

/** A salon has one or two quiet-hours bounds, asked for every planned job: parsed once. */
const minutesOfText = new Map<string, number>();

function toMinutes(text: string): number {
  let minutes = minutesOfText.get(text);
  if (minutes === undefined) {
    const t = parseTimeOfDay(text);
    minutes = t.hour * 60 + t.minute;
    if (minutesOfText.size > 1000) minutesOfText.clear();
    minutesOfText.set(text, minutes);
  }
  return minutes;
}

/** The zone's offset from UTC at `epochMs`, in ms (local wall time minus UTC). */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = zonedParts(epochMs, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(epochMs / 1000) * 1000;
}

/**
 * A quiet end in the hour a fall-back night repeats has two instants, and the wall-clock conversion gives the first.
 * A message due in the repeated hour (01:00 EST, the second 1 AM) with quiet hours ending at 01:01 would be moved to the
 * first 01:01 (EDT), before it was due: the quiet end is then its second occurrence, at or after the due time.
 */
function laterInFold(quietEndAt: number, dueAt: number, timeZone: string): number {
  if (quietEndAt > dueAt) return quietEndAt;
  const later = quietEndAt + (offsetAt(quietEndAt, timeZone) - offsetAt(dueAt, timeZone));
  return later > dueAt ? later : quietEndAt;
}

