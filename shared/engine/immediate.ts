/**
 * The messages DESIGN §2 sends "immediately": a booking confirmation, a change alert, a cancellation notice, a bonus
 * accrual. Their due time comes from the event (when the visit was booked, changed, cancelled, the points credited),
 * stamped by the clock of the desk where it happened. A desk whose clock is behind that one — another desk's runs an
 * hour ahead, or its own was set back after it planned — would wait for the event's time to come round on its own
 * clock. So an immediate message is due at the event's time or the planning desk's now, whichever is earlier: desks
 * whose clocks have passed the event all plan the same due time (the event's), and a desk behind it plans "now".
 */
import type { NotificationType } from '../domain/notification-settings.ts';
import { CHANGE_SETTLE_MS } from './change-burst.ts';

export const IMMEDIATE_TYPES: ReadonlySet<NotificationType> = new Set<NotificationType>(['bookingConfirmation', 'changeAlert', 'cancellationNotice', 'bonusAccrual']);

/**
 * The longest an immediate message may legitimately wait after a desk planned it, quiet hours aside: a change alert's
 * settle delay. A planned one due later than this on a dispatching desk was timed by a clock ahead of this desk's, and
 * is planned again here.
 */
export const IMMEDIATE_MAX_WAIT_MS = CHANGE_SETTLE_MS;

export function isImmediate(type: NotificationType): boolean {
  return IMMEDIATE_TYPES.has(type);
}

/** An event's time as this desk may wait for it: never after its now (an unreadable time counts as now). */
export function eventTimeHere(eventAt: number, now: number): number {
  return Number.isFinite(eventAt) ? Math.max(Math.min(eventAt, now), 0) : now;
}

/**
 * Whether planning rewrites a planned job's due time to the one it wants now. Desks whose clocks differ want different
 * times for one immediate message (each its own now, when the event is ahead of it); two times that have both passed
 * on this desk send it alike, so they are left as they are — otherwise each desk's re-plan rewrote the other's time
 * and the rewrites crossed in sync for ever. Every other type's due time is the same on every desk and always follows.
 */
export function dueTimeChanges(type: NotificationType, stored: number, wanted: number, now: number): boolean {
  if (stored === wanted) return false;
  return !isImmediate(type) || Math.max(stored, wanted) > now;
}

/**
 * A due time counted from now because its event is stamped ahead of this desk's clock (a change alert's burst, edited
 * on a desk whose clock runs fast) would move with every plan: each re-plan put it another settle delay later, and the
 * alert waited until this desk's clock passed the edit. The job planning writes for it carries the stamp it was timed
 * for as its `updatedAt` (see planStamp), so a stored fact says whether it was timed knowing that event: then a
 * re-plan only brings it earlier (a version timed by a clock ahead), and a later event (another edit of the burst)
 * times it again.
 */
export function aheadDueTimeChanges(stored: { dueAt: number; updatedAt: string }, wanted: number, eventAt: number): boolean {
  if (wanted < stored.dueAt) return true;
  if (wanted === stored.dueAt) return false;
  return !(Date.parse(stored.updatedAt) >= eventAt);
}

/** The `updatedAt` of a job planning writes: its now, or the stamp ahead of it that the due time was counted for. */
export function planStamp(now: number, dueFromNow: number | undefined): string {
  return new Date(dueFromNow !== undefined && dueFromNow > now ? dueFromNow : now).toISOString();
}
