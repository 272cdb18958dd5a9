import { idField, isoUtcField, nameField } from './schema-parts.ts';

export const SERVICE_CATEGORIES = ['hair', 'nails', 'brows', 'lashes', 'massage', 'skin', 'makeup', 'other'] as const;
export type ServiceCategory = (typeof SERVICE_CATEGORIES)[number];

export interface Service {
  id: string;
  locationId: string;
  name: string;
  category: ServiceCategory;
  durationMinutes: number;
  /** In minor units of the location's currency (cents), so sums never drift. */
  priceMinor: number;
  /** Days after a visit for this service when a repeat-visit invitation is due; absent = none. */
  repeatIntervalDays?: number;
  /** Review requests are not sent for visits that include only excluded services. */
  excludeFromReviewRequests: boolean;
  active: boolean;
  createdAt: string;
}

export const serviceSchemaV0 = {
  title: 'services',
  description: 'A bookable service of a location',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    name: nameField,
    category: { type: 'string', enum: SERVICE_CATEGORIES, maxLength: 20 },
    durationMinutes: { type: 'integer', minimum: 5, maximum: 720 },
    priceMinor: { type: 'integer', minimum: 0, maximum: 100_000_000 },
    repeatIntervalDays: { type: 'integer', minimum: 1, maximum: 730 },
    excludeFromReviewRequests: { type: 'boolean' },
    active: { type: 'boolean' },
    createdAt: isoUtcField,
  },
  required: [
    'id',
    'locationId',
    'name',
    'category',
    'durationMinutes',
    'priceMinor',
    'excludeFromReviewRequests',
    'active',
    'createdAt',
  ],
  indexes: ['locationId'],
} as const;
