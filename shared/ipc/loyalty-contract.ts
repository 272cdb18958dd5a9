/**
 * The loyalty and payment channels of the IPC contract (merged into `contract`): bonus points credited or debited
 * with a reason, discounts and gift certificates given and marked used, a payment taken for a visit, and "the client
 * left a review" on a visit. Intents only: the host reads the documents, checks shared/domain/loyalty.ts and writes.
 */
import { z } from 'zod';
import { PAYMENT_METHODS } from '../domain/appointment.ts';
import { MAX_POINTS_PER_ENTRY, MAX_REASON_LENGTH, MAX_VOUCHER_MINOR } from '../domain/loyalty.ts';
import { id, revision } from './schemas/common.ts';

const target = { appointmentId: id, expectedRevision: revision };
const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD');

export const loyaltyContract = {
  /** Positive points credit, negative debit; the client card's revision guards the balance against a lost update. */
  'loyalty.points': {
    request: z
      .object({
        locationId: id,
        clientId: id,
        expectedRevision: revision,
        points: z.number().int().min(-MAX_POINTS_PER_ENTRY).max(MAX_POINTS_PER_ENTRY),
        reason: z.string().max(MAX_REASON_LENGTH),
      })
      .strict(),
    response: z.object({ clientId: z.string(), revision: z.string(), balance: z.number().int(), perkId: z.string() }),
  },
  'loyalty.addVoucher': {
    request: z
      .object({
        locationId: id,
        clientId: id,
        kind: z.enum(['discount', 'certificate']),
        percent: z.number().min(0).max(100).optional(),
        amountMinor: z.number().int().min(0).max(MAX_VOUCHER_MINOR).optional(),
        code: z.string().max(64).optional(),
        description: z.string().max(500).optional(),
        /** Last local day it can be used; absent or '': no expiry. */
        expiresOn: z.union([localDate, z.literal('')]).optional(),
      })
      .strict(),
    response: z.object({ perkId: z.string() }),
  },
  'loyalty.markVoucher': {
    request: z.object({ perkId: id, used: z.boolean() }).strict(),
    response: z.object({ perkId: z.string(), used: z.boolean() }),
  },
  'appointments.recordPayment': {
    request: z
      .object({
        ...target,
        method: z.enum(PAYMENT_METHODS),
        amountMinor: z.number().int().min(1).max(MAX_VOUCHER_MINOR),
        reference: z.string().max(120).optional(),
      })
      .strict(),
    response: z.object({ appointmentId: z.string(), revision: z.string(), paymentId: z.string(), paidMinor: z.number().int() }),
  },
  /** A payment recorded by mistake, taken back (the visit keeps its other payments). */
  'appointments.removePayment': {
    request: z.object({ ...target, paymentId: id }).strict(),
    response: z.object({ appointmentId: z.string(), revision: z.string(), paidMinor: z.number().int() }),
  },
  /** The client left a review for this visit: its review request is skipped (true), or planned again (false). */
  'appointments.setReviewLeft': {
    request: z.object({ ...target, reviewLeft: z.boolean() }).strict(),
    response: z.object({ appointmentId: z.string(), revision: z.string() }),
  },
} as const;
