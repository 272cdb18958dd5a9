import { e164Field, emailField, hhmmField, idArrayField, idField, isoUtcField, localDateField, nameField } from './schema-parts.ts';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A wall-clock interval in the location's zone, "HH:MM"–"HH:MM", end after start (no overnight shifts). */
export interface TimeRange {
  start: string;
  end: string;
}

/** Several ranges per day allow a lunch break; an empty array is a day off. */
export type WorkingHours = Record<Weekday, TimeRange[]>;

export const STAFF_ROLES = ['specialist', 'receptionist', 'manager', 'owner'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface Staff {
  id: string;
  locationId: string;
  name: string;
  role: StaffRole;
  /** Free job title shown to clients, e.g. "Senior stylist". */
  title?: string;
  /** Services this person performs; the booking form offers only them. */
  serviceIds: string[];
  workingHours: WorkingHours;
  /** Wants OS desktop toasts for cancellations and reschedules of their visits. */
  desktopToasts: boolean;
  email?: string;
  phone?: string;
  /** Calendar column colour, "#rrggbb". */
  color?: string;
  /** Days off and vacations on particular dates (version 2 on); the weekly hours do not apply then. */
  timeOff?: TimeOff[];
  /** Where team notifications reach this person over adminPush (version 1 on). */
  adminPush?: StaffAdminPush;
  active: boolean;
  createdAt: string;
}

/** The staff app's device tokens (adminPush through FCM) and/or an ntfy topic (adminPush through ntfy). */
export interface StaffAdminPush {
  pushTokens?: string[];
  /** ntfy topic names are letters, digits, "_" and "-", up to 64. */
  ntfyTopic?: string;
}

export const NTFY_TOPIC_PATTERN = '^[A-Za-z0-9_-]{1,64}$';

export const TIME_OFF_KINDS = ['dayOff', 'vacation', 'sickLeave'] as const;
export type TimeOffKind = (typeof TIME_OFF_KINDS)[number];

/** Local dates in the location's zone, both included: "2026-12-24" to "2026-12-24" is one day. */
export interface TimeOff {
  from: string;
  to: string;
  kind: TimeOffKind;
  note?: string;
}

export const MAX_TIME_OFF = 100;

const timeRangeField = {
  type: 'object',
  additionalProperties: false,
  properties: { start: hhmmField, end: hhmmField },
  required: ['start', 'end'],
} as const;

const dayField = { type: 'array', items: timeRangeField, maxItems: 4 } as const;

/** A week of wall-clock ranges (staff working hours, a location's opening hours). */
export const workingHoursField = {
  type: 'object',
  additionalProperties: false,
  properties: { mon: dayField, tue: dayField, wed: dayField, thu: dayField, fri: dayField, sat: dayField, sun: dayField },
  required: WEEKDAYS,
} as const;

export const staffSchemaV0 = {
  title: 'staff',
  description: 'A staff member of a location',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    name: nameField,
    role: { type: 'string', enum: STAFF_ROLES, maxLength: 20 },
    title: { type: 'string', maxLength: 120 },
    serviceIds: idArrayField,
    workingHours: workingHoursField,
    desktopToasts: { type: 'boolean' },
    email: emailField,
    phone: e164Field,
    color: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$', maxLength: 7 },
    active: { type: 'boolean' },
    createdAt: isoUtcField,
  },
  required: ['id', 'locationId', 'name', 'role', 'serviceIds', 'workingHours', 'desktopToasts', 'active', 'createdAt'],
  indexes: ['locationId'],
} as const;

/** Version 1: where adminPush reaches the staff member. */
export const staffSchemaV1 = {
  ...staffSchemaV0,
  version: 1,
  properties: {
    ...staffSchemaV0.properties,
    adminPush: {
      type: 'object',
      additionalProperties: false,
      properties: {
        pushTokens: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 512 }, maxItems: 10, uniqueItems: true },
        ntfyTopic: { type: 'string', pattern: NTFY_TOPIC_PATTERN, maxLength: 64 },
      },
    },
  },
} as const;

/** Version 2: days off and vacations on dates. Existing staff have none. */
export const staffSchemaV2 = {
  ...staffSchemaV1,
  version: 2,
  properties: {
    ...staffSchemaV1.properties,
    timeOff: {
      type: 'array',
      maxItems: MAX_TIME_OFF,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: localDateField,
          to: localDateField,
          kind: { type: 'string', enum: TIME_OFF_KINDS, maxLength: 12 },
          note: { type: 'string', maxLength: 200 },
        },
        required: ['from', 'to', 'kind'],
      },
    },
  },
} as const;

export const staffMigrationStrategies = {
  1: (oldDoc: Staff & Record<string, unknown>): Staff & Record<string, unknown> => oldDoc,
  2: (oldDoc: Staff & Record<string, unknown>): Staff & Record<string, unknown> => oldDoc,
};

/** The time off covering a local date, if any. */
export function timeOffOn(staff: Pick<Staff, 'timeOff'>, date: string): TimeOff | undefined {
  return staff.timeOff?.find((t) => t.from <= date && date <= t.to);
}

/** A person's day: the working ranges on a local date, or why there are none (weekly day off, a day off, a vacation). */
export function scheduleOn(staff: Pick<Staff, 'workingHours' | 'timeOff'>, date: string, weekday: Weekday): { ranges: TimeRange[]; off?: 'weekly' | TimeOffKind; timeOff?: TimeOff } {
  const away = timeOffOn(staff, date);
  if (away) return { ranges: [], off: away.kind, timeOff: away };
  const ranges = staff.workingHours[weekday];
  return ranges.length === 0 ? { ranges, off: 'weekly' } : { ranges };
}
