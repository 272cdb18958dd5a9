/**
 * A staff member as the desk edits them, checked by the same rules in the Staff screen (before Save) and in the host
 * (the one that writes): a name, working hours whose ranges end after they start and do not overlap, days off and
 * vacations whose last day is not before their first, services of the same location, and contacts normalised like a
 * client's (phone to E.164 for the location's country). Every problem is an issue with a code and the field it is in.
 */
import { normalizeEmail } from './email.ts';
import { issue, type Issue } from './issues.ts';
import { nameIssues } from './names.ts';
import { normalizePhone } from './phone.ts';
import type { Service } from './service.ts';
import { WEEKDAYS, type TimeOff, type TimeRange, type WorkingHours } from './staff.ts';
import { hhmmToMinutes, isCalendarDate } from './zoned-time.ts';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Problems of a week of hours: `field` is where they go ("workingHours" → "workingHours.mon.1"). */
export function workingHoursIssues(hours: WorkingHours, field = 'workingHours'): Issue[] {
  const issues: Issue[] = [];
  for (const day of WEEKDAYS) {
    // Times as typed at the desk: 24-hour "HH:MM" (the host's schema refuses anything else before this runs).
    const typos = hours[day].flatMap((range, i) => [range.start, range.end].filter((time) => !HH_MM.test(time)).map((time) => issue('staff.hours.format', `${field}.${day}.${i}`, `"${time}" is not a time: use HH:MM, 00:00 to 23:59`, { weekday: day, time })));
    if (typos.length > 0) {
      issues.push(...typos);
      continue;
    }
    const ranges = hours[day];
    ranges.forEach((range, i) => {
      if (hhmmToMinutes(range.end) <= hhmmToMinutes(range.start)) {
        issues.push(issue('staff.hours.endBeforeStart', `${field}.${day}.${i}`, `${range.start}–${range.end} must end after it starts`, { weekday: day, start: range.start, end: range.end }));
      }
    });
    const sorted = [...ranges].sort((a, b) => hhmmToMinutes(a.start) - hhmmToMinutes(b.start));
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1]!;
      const range = sorted[i]!;
      if (hhmmToMinutes(range.start) < hhmmToMinutes(previous.end)) {
        issues.push(issue('staff.hours.overlap', `${field}.${day}`, `${previous.start}–${previous.end} and ${range.start}–${range.end} overlap`, { weekday: day, first: `${previous.start}–${previous.end}`, second: `${range.start}–${range.end}` }));
      }
    }
  }
  return issues;
}

/** Ranges of a day in order, so the calendar and the booking warnings read them front to back. */
export function sortedHours(hours: WorkingHours): WorkingHours {
  const out = { ...hours };
  for (const day of WEEKDAYS) out[day] = [...hours[day]].sort((a: TimeRange, b: TimeRange) => hhmmToMinutes(a.start) - hhmmToMinutes(b.start));
  return out;
}

export function timeOffIssues(list: readonly TimeOff[], field = 'timeOff'): Issue[] {
  const issues: Issue[] = [];
  list.forEach((t, i) => {
    if (!isCalendarDate(t.from)) issues.push(issue('staff.timeOff.date', `${field}.${i}.from`, `${t.from} is not a date`, { date: t.from }));
    if (!isCalendarDate(t.to)) issues.push(issue('staff.timeOff.date', `${field}.${i}.to`, `${t.to} is not a date`, { date: t.to }));
    if (t.to < t.from) issues.push(issue('staff.timeOff.endBeforeStart', `${field}.${i}.to`, `the last day (${t.to}) is before the first (${t.from})`, { from: t.from, to: t.to }));
  });
  return issues;
}

/** Services a person offers must be services of their location (an inactive one may stay: history keeps it). */
export function staffServiceIssues(serviceIds: readonly string[], services: ReadonlyMap<string, Pick<Service, 'id' | 'locationId' | 'name'>>, locationId: string): Issue[] {
  const issues: Issue[] = [];
  serviceIds.forEach((id, i) => {
    const service = services.get(id);
    if (!service) issues.push(issue('staff.service.unknown', `serviceIds.${i}`, `no service "${id}" exists`, { id }));
    else if (service.locationId !== locationId) issues.push(issue('staff.service.wrongLocation', `serviceIds.${i}`, `${service.name} is a service of another location`, { service: service.name }));
  });
  return issues;
}

export interface StaffContactResult {
  issues: Issue[];
  phone?: string | undefined;
  email?: string | undefined;
}

/** Phone and email of a staff member for team notifications; '' = none. */
export function checkStaffContact(input: { phone?: string | undefined; email?: string | undefined }, countryCode: string): StaffContactResult {
  const result: StaffContactResult = { issues: [] };
  const phone = input.phone?.trim() ?? '';
  if (phone !== '') {
    const normalized = normalizePhone(phone, countryCode);
    if (normalized.ok) result.phone = normalized.e164;
    else result.issues.push(issue(`client.phone.${normalized.problem}`, 'phone', normalized.error, normalized.params));
  }
  const email = input.email?.trim() ?? '';
  if (email !== '') {
    const normalized = normalizeEmail(email);
    if (normalized.ok) result.email = normalized.email;
    else result.issues.push(issue('client.email.invalid', 'email', normalized.error, { email }));
  }
  return result;
}

export function staffNameIssues(name: string): Issue[] {
  return nameIssues(name, 'staff.name', 'name', 'enter the name');
}
