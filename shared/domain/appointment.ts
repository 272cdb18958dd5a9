import { epochMsField, idArrayField, idField, isoUtcField, textField } from './schema-parts.ts';

export const APPOINTMENT_STATUSES = ['booked', 'confirmed', 'arrived', 'completed', 'cancelled', 'noShow'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const APPOINTMENT_SOURCES = ['desk', 'online', 'sync'] as const;
export type AppointmentSource = (typeof APPOINTMENT_SOURCES)[number];

/** The history kinds of versions 0 to 2, as they were: v3 added `durationChanged`. */
const CHANGE_KINDS_V0 = ['created', 'moved', 'reassigned', 'servicesChanged', 'statusChanged', 'notesChanged'] as const;
/**
 * `durationChanged` (v3 on): only the end changed (the visit was made longer or shorter on the grid). It is not a
 * move: the client still comes at the same time, so no change alert goes out and reminders stay; the specialist's day
 * changed, so the notification center says so.
 */
export const CHANGE_KINDS = [...CHANGE_KINDS_V0, 'durationChanged'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * One entry of an appointment's change history. `from`/`to` are strings so one shape fits every kind: ISO start for
 * `moved`, ISO end for `durationChanged`, staff id for `reassigned`, comma-joined service ids for `servicesChanged`, status for `statusChanged`.
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
  /** Money taken for this visit (version 2 on): at the desk, or reported by a payment terminal. */
  payments?: Payment[];
  notes?: string;
  createdAt: string;
  updatedAt: string;
}

export const PAYMENT_METHODS = ['cash', 'card', 'qr'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface Payment {
  id: string;
  method: PaymentMethod;
  /** Minor units of the location's currency. */
  amountMinor: number;
  at: string;
  /** Who recorded it: the desk's name, or the integration that reported it. */
  by: string;
  source: 'desk' | 'integration';
  /** The terminal's transaction id, when it gave one (a report repeated with it is recorded once). */
  reference?: string;
}

export const MAX_PAYMENTS = 50;

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
          kind: { type: 'string', enum: CHANGE_KINDS_V0, maxLength: 20 },
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

/** v2: payments taken for the visit. */
export const appointmentSchemaV2 = {
  ...appointmentSchemaV1,
  version: 2,
  properties: {
    ...appointmentSchemaV1.properties,
    payments: {
      type: 'array',
      maxItems: MAX_PAYMENTS,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id: idField,
          method: { type: 'string', enum: PAYMENT_METHODS, maxLength: 8 },
          amountMinor: { type: 'integer', minimum: 1, maximum: 100_000_000 },
          at: isoUtcField,
          by: { type: 'string', minLength: 1, maxLength: 120 },
          source: { type: 'string', enum: ['desk', 'integration'], maxLength: 12 },
          reference: { type: 'string', maxLength: 120 },
        },
        required: ['id', 'method', 'amountMinor', 'at', 'by', 'source'],
      },
    },
  },
} as const;

/** v3: the `durationChanged` history kind (an end-only change). Stored visits are unchanged. */
export const appointmentSchemaV3 = {
  ...appointmentSchemaV2,
  version: 3,
  properties: {
    ...appointmentSchemaV2.properties,
    history: {
      ...appointmentSchemaV2.properties.history,
      items: {
        ...appointmentSchemaV2.properties.history.items,
        properties: {
          ...appointmentSchemaV2.properties.history.items.properties,
          kind: { type: 'string', enum: CHANGE_KINDS, maxLength: 20 },
        },
      },
    },
  },
} as const;

export const appointmentMigrationStrategies = {
  1: (oldDoc: Record<string, unknown>) => oldDoc,
  2: (oldDoc: Record<string, unknown>) => oldDoc,
  3: (oldDoc: Record<string, unknown>) => oldDoc,
};

/** The sum of a visit's payments, in minor units. */
export function paidMinor(appointment: Pick<Appointment, 'payments'>): number {
  return (appointment.payments ?? []).reduce((sum, p) => sum + p.amountMinor, 0);
}

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
