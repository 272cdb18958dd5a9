import { epochMsField, idArrayField, idField, isoUtcField, textField } from './schema-parts.ts';

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'noShow'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_SOURCES = ['desk', 'online', 'sync'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];

export const CHANGE_KINDS = ['created', 'moved', 'reassigned', 'servicesChanged', 'statusChanged', 'notesChanged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * One entry of an appointment's change history. `from`/`to` are strings so one shape fits every kind: ISO start for
 * `moved`, staff id for `reassigned`, comma-joined service ids for `servicesChanged`, status for `statusChanged`.
 */
export interface AppointmentChange {
  at: string;
  /** Who did it: a staff id, or "online", "sync", "system". */
  by: string;
  kind: ChangeKind;
  from?: string;
  to?: string;
  /** Cancellations: false when the desk chose not to tell the client (no cancellation notice, no win-back). */
  notify?: boolean;
  /** Cancellations: the reason the desk gave, for the history (never sent to the client). */
  note?: string;
}

export interface Appointment {
  id: string;
  locationId: string;
  clientId: string;
  staffId: string;
  /** In the order performed; the first one names the visit in short messages. */
  serviceIds: string[];
  /** ISO UTC instants. */
  start: string;
  end: string;
  /** Epoch ms of `start`, for indexed range queries; always equals Date.parse(start). */
  startMs: number;
  status: AppointmentStatus;
  source: AppointmentSource;
  history: AppointmentChange[];
  /** The client already left a review for this visit (review requests are skipped). */
  reviewLeft: boolean;
  /** Total in minor units of the location's currency, when known. */
  priceMinor?: number;
  notes?: string;
  createdAt: string;
  updatedAt: string;
}

export const appointmentSchemaV0 = {
  title: 'appointments',
  description: 'A booked visit',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    clientId: idField,
    staffId: idField,
    serviceIds: { ...idArrayField, minItems: 1, maxItems: 20 },
    start: isoUtcField,
    end: isoUtcField,
    startMs: epochMsField,
    status: { type: 'string', enum: APPOINTMENT_STATUSES, maxLength: 12 },
    source: { type: 'string', enum: APPOINTMENT_SOURCES, maxLength: 10 },
    history: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          at: isoUtcField,
          by: { type: 'string', minLength: 1, maxLength: 128 },
          kind: { type: 'string', enum: CHANGE_KINDS, maxLength: 20 },
          from: { type: 'string', maxLength: 2000 },
          to: { type: 'string', maxLength: 2000 },
        },
        required: ['at', 'by', 'kind'],
      },
    },
    reviewLeft: { type: 'boolean' },
    priceMinor: { type: 'integer', minimum: 0 },
    notes: textField,
    createdAt: isoUtcField,
    updatedAt: isoUtcField,
  },
  required: [
    'id',
    'locationId',
    'clientId',
    'staffId',
    'serviceIds',
    'start',
    'end',
    'startMs',
    'status',
    'source',
    'history',
    'reviewLeft',
    'createdAt',
    'updatedAt',
  ],
  indexes: [['locationId', 'startMs'], ['clientId', 'startMs'], ['status', 'startMs'], ['staffId', 'startMs']],
} as const;

/** v1: history entries of cancellations carry `notify` and `note` (the desk's choice and reason). */
export const appointmentSchemaV1 = {
  ...appointmentSchemaV0,
  version: 1,
  properties: {
    ...appointmentSchemaV0.properties,
    history: {
      ...appointmentSchemaV0.properties.history,
      items: {
        ...appointmentSchemaV0.properties.history.items,
        properties: {
          ...appointmentSchemaV0.properties.history.items.properties,
          notify: { type: 'boolean' },
          note: { type: 'string', maxLength: 500 },
        },
      },
    },
  },
} as const;

export const appointmentMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>) => oldDoc,
};

/**
 * Status moves a desk may make. Terminal states (completed, cancelled, noShow) can be undone only back to the state a
 * receptionist would have mis-clicked from, because each one triggers client messages (review, win-back).
 */
export const STATUS_TRANSITIONS: Readonly<Record<AppointmentStatus, readonly AppointmentStatus[]>> = {
  booked: ['confirmed', 'arrived', 'cancelled', 'noShow'],
  confirmed: ['booked', 'arrived', 'cancelled', 'noShow'],
  arrived: ['completed', 'confirmed', 'cancelled'],
  completed: ['arrived'],
  cancelled: ['booked'],
  noShow: ['booked', 'arrived'],
};

export function canTransition(from: AppointmentStatus, to: AppointmentStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

export function assertTransition(from: AppointmentStatus, to: AppointmentStatus): void {
  if (!canTransition(from, to)) {
    const allowed = STATUS_TRANSITIONS[from];
    throw new Error(
      `appointments.status: cannot change from "${from}" to "${to}"; allowed from "${from}": ${allowed.join(', ')}`,
    );
  }
}

/** Still going to happen: counts as a "future booking" for win-back and repeat-visit rules. */
export function isActiveStatus(status: AppointmentStatus): boolean {
  return status === 'booked' || status === 'confirmed' || status === 'arrived';
}

/** Two half-open intervals [start, end) overlap. */
export function intervalsOverlap(aStartMs: number, aEndMs: number, bStartMs: number, bEndMs: number): boolean {
  return aStartMs < bEndMs && bStartMs < aEndMs;
}
