/**
 * Requests of the salon set-up commands: a location's profile (first-run wizard, salon settings), a new location,
 * the demo salon, and this desk (staff and services are people-contract.ts). Only shapes and bounds here; the host checks the
 * meaning (a real time zone and currency, a phone of the salon's country, hours that end after they start) with
 * shared/domain/location-input.ts and answers every problem at once.
 */
import { z } from 'zod';
import { LANGUAGES } from '../../notifications/catalog.ts';
import { weekHours } from '../people-contract.ts';
import { id } from './common.ts';

/** Everything of a location a manager may edit, as typed: the host trims, normalises the phone and checks the rest. */
export const locationProfile = {
  name: z.string().max(120),
  address: z
    .object({ line1: z.string().max(200), line2: z.string().max(200).optional(), city: z.string().max(100), postalCode: z.string().max(20) })
    .strict(),
  phone: z.string().max(40),
  email: z.string().max(254).optional(),
  countryCode: z.string().max(2),
  timeZone: z.string().max(64),
  currency: z.string().max(3),
  clientLanguages: z.array(z.enum(LANGUAGES)).min(1).max(LANGUAGES.length),
  openingHours: weekHours,
  /** '' removes the link. */
  bookingUrl: z.string().max(2000).optional(),
  reviewUrl: z.string().max(2000).optional(),
};

export const locationCreate = z.object(locationProfile).strict();
/** The profile fields of `location.save`: each optional (only those given change). */
export const locationProfilePatch = z.object(locationProfile).partial();

/** This desk (installation): its name, and the staff who work here (their desktop toasts show on this desk). */
export const deskSettings = z.object({ deskId: z.string(), deskName: z.string(), staffIds: z.array(z.string()) });
export const deskSave = z
  .object({
    deskName: z.string().trim().min(1, 'deskName: name this desk').max(120),
    staffIds: z.array(id).max(500),
  })
  .strict();
