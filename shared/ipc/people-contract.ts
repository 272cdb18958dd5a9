/**
 * The people channels of the IPC contract (merged into `contract`): a staff member and a service saved as a whole
 * (create without an id, update with it and the revision the desk saw; nothing is ever deleted — `active: false`
 * retires them and keeps their history), and a client import in steps: start with the column mapping, send the file's
 * rows in chunks (the host plans them, the desk shows progress and the invalid rows), then commit — written in one
 * transaction — or cancel, which leaves nothing behind.
 */
import { z } from 'zod';
import { IMPORT_FIELDS } from '../clients/import-columns.ts';
import { SERVICE_CATEGORIES } from '../domain/service.ts';
import { MAX_TIME_OFF, STAFF_ROLES, TIME_OFF_KINDS, WEEKDAYS } from '../domain/staff.ts';
import { hhmm, id, revision } from './schemas/common.ts';

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');
const day = z.array(z.object({ start: hhmm, end: hhmm }).strict()).max(4);
export const weekHours = z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, day])) as Record<(typeof WEEKDAYS)[number], typeof day>).strict();

const timeOff = z
  .object({ from: localDate, to: localDate, kind: z.enum(TIME_OFF_KINDS), note: z.string().max(200).optional() })
  .strict();

export const staffSave = z
  .object({
    locationId: id,
    /** Absent: a new staff member. */
    staffId: id.optional(),
    expectedRevision: revision.optional(),
    name: z.string().max(120),
    role: z.enum(STAFF_ROLES),
    title: z.string().max(120).optional(),
    serviceIds: z.array(id).max(200),
    workingHours: weekHours,
    timeOff: z.array(timeOff).max(MAX_TIME_OFF).default([]),
    desktopToasts: z.boolean(),
    /** Team notifications: email, SMS and the adminPush topic; '' = none. */
    email: z.string().max(254).optional(),
    phone: z.string().max(40).optional(),
    ntfyTopic: z.string().regex(/^[A-Za-z0-9_-]{0,64}$/, 'letters, digits, _ and - only').optional(),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour #rrggbb').optional(),
    active: z.boolean().default(true),
  })
  .strict();

export const serviceSave = z
  .object({
    locationId: id,
    serviceId: id.optional(),
    expectedRevision: revision.optional(),
    name: z.string().max(120),
    category: z.enum(SERVICE_CATEGORIES),
    durationMinutes: z.number().int().min(5).max(720),
    priceMinor: z.number().int().min(0).max(100_000_000),
    /** Days after a visit when a repeat-visit invitation is due; null = none. */
    repeatIntervalDays: z.number().int().min(1).max(730).nullable(),
    excludeFromReviewRequests: z.boolean(),
    active: z.boolean().default(true),
  })
  .strict();


/** Rows per `clients.importRows` call: a chunk stays far below the request size limit. */
export const IMPORT_CHUNK_ROWS = 500;

const importSummary = z.object({ rows: z.number().int(), toCreate: z.number().int(), toUpdate: z.number().int(), duplicates: z.number().int(), invalid: z.number().int() });
const rowIssue = z.object({
  row: z.number().int(),
  code: z.string(),
  field: z.string().optional(),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  message: z.string(),
});

export const peopleContract = {
  'staff.save': { request: staffSave, response: z.object({ staffId: z.string(), revision: z.string(), created: z.boolean() }) },
  'services.save': { request: serviceSave, response: z.object({ serviceId: z.string(), revision: z.string(), created: z.boolean() }) },
  'clients.importStart': {
    request: z
      .object({
        locationId: id,
        mapping: z.array(z.enum(IMPORT_FIELDS).nullable()).min(1).max(60),
        duplicates: z.enum(['merge', 'skip']),
        dateOrder: z.enum(['dmy', 'mdy']),
      })
      .strict(),
    response: z.object({ importId: z.string() }),
  },
  'clients.importRows': {
    request: z
      .object({
        importId: id,
        /** The file row of the first one (the header is row 1). */
        firstRow: z.number().int().min(2),
        rows: z.array(z.array(z.string().max(4000)).max(60)).max(IMPORT_CHUNK_ROWS),
      })
      .strict(),
    response: z.object({ summary: importSummary, issues: z.array(rowIssue) }),
  },
  'clients.importCommit': {
    request: z.object({ importId: id }).strict(),
    response: z.object({ summary: importSummary, created: z.number().int(), updated: z.number().int() }),
  },
  'clients.importCancel': { request: z.object({ importId: id }).strict(), response: z.object({ cancelled: z.boolean() }) },
} as const;
