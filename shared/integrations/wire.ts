/**
 * The integration endpoint's wire format (documented in the README): what a payment terminal or a phone system POSTs
 * to `/v1/events` with `Authorization: Bearer <token>`, and the JSON errors it gets back. Bounded everywhere, so a
 * hostile sender cannot make the host parse or store more than a few kilobytes.
 */
import { z } from 'zod';

export const INTEGRATION_KINDS = ['paymentTerminal', 'phoneSystem'] as const;
export type IntegrationKind = (typeof INTEGRATION_KINDS)[number];

/** The port a desk's endpoint listens on unless the manager picks another (loopback only). */
export const DEFAULT_INTEGRATION_PORT = 47_615;
export const INTEGRATION_EVENTS_PATH = '/v1/events';
/** Bodies above this are refused (413) before they are read in full. */
export const MAX_EVENT_BODY_BYTES = 16 * 1024;

const phone = z.string().trim().min(3, 'phone: enter the caller\'s number').max(40);

export const incomingCallEvent = z
  .object({
    type: z.literal('incomingCall'),
    /** The caller's number as the phone system shows it; read for the salon's country (a "+…" number for any). */
    phone,
    /** The phone system's id of the call: a repeated report of the same call makes one event. */
    callId: z.string().trim().min(1).max(120).optional(),
  })
  .strict();

export const qrPaymentEvent = z
  .object({
    type: z.literal('qrPayment'),
    /** In minor units (cents, kopecks) of `currency`. */
    amountMinor: z.number().int().min(1).max(100_000_000),
    currency: z.string().regex(/^[A-Z]{3}$/, 'currency: an ISO 4217 code such as EUR'),
    /** The visit paid for, when the terminal knows it (FrontDesk shows the visit id on the visit card). */
    appointmentId: z.string().trim().min(1).max(128).optional(),
    /** The terminal's transaction id: a repeated report with it is recorded once. */
    reference: z.string().trim().min(1).max(120).optional(),
    /** The payer's phone, when the QR provider gives it: finds the client when no visit is named. */
    phone: phone.optional(),
  })
  .strict();

export const integrationEvent = z.discriminatedUnion('type', [incomingCallEvent, qrPaymentEvent]);
export type IntegrationEvent = z.infer<typeof integrationEvent>;

/** Error codes of the endpoint's JSON answers `{ "error": { "code", "message", "issues"? } }`. */
export const ENDPOINT_ERRORS = {
  'token.missing': 401,
  'token.invalid': 401,
  'body.tooLarge': 413,
  'body.notJson': 415,
  'body.invalidJson': 400,
  'body.invalid': 400,
  'event.wrongIntegration': 422,
  'event.currency': 422,
  'event.appointment.unknown': 422,
  'path.unknown': 404,
  'method.notAllowed': 405,
  'endpoint.unavailable': 503,
} as const;
export type EndpointErrorCode = keyof typeof ENDPOINT_ERRORS;

/** What a stored integration looks like to the settings screen (never its token). */
export interface IntegrationView {
  id: string;
  name: string;
  kind: IntegrationKind;
  locationId: string;
  createdAt: string;
  lastEventAt?: string;
}

/**
 * A token names its integration and carries 256 random bits: `fdi_<id>_<secret>`. The id lets the endpoint find the
 * one secret to compare (in constant time) instead of trying every integration's.
 */
export const TOKEN_PATTERN = /^fdi_([a-z0-9]{8,40})_([A-Za-z0-9_-]{43})$/;
