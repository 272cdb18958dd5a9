import { epochMsField, idField, isoUtcField, localDateField } from './schema-parts.ts';

export const PERK_KINDS = ['bonusAccrual', 'discount', 'certificate'] as const;
export type PerkKind = (typeof PERK_KINDS)[number];

/**
 * Loyalty events and vouchers of a client. A `bonusAccrual` records points credited (negative = redeemed) and the
 * balance after it; a `discount`/`certificate` has a value, an optional expiry and a used flag.
 */
export interface ClientPerk {
  id: string;
  locationId: string;
  clientId: string;
  kind: PerkKind;
  /** bonusAccrual: points credited (negative when redeemed). */
  points?: number;
  /** bonusAccrual: client's balance after this accrual, so a message can quote it. */
  balanceAfter?: number;
  /** discount: percent off. */
  percent?: number;
  /** certificate (or fixed discount): amount in minor units. */
  amountMinor?: number;
  code?: string;
  description?: string;
  /** Last local day it can be used ("YYYY-MM-DD" in the location's zone). */
  expiresOn?: string;
  used: boolean;
  createdAt: string;
  createdAtMs: number;
}

export const clientPerkSchemaV0 = {
  title: 'client_perks',
  description: 'Bonus accruals, discounts and certificates of a client',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: idField,
    locationId: idField,
    clientId: idField,
    kind: { type: 'string', enum: PERK_KINDS, maxLength: 20 },
    points: { type: 'integer', minimum: -1_000_000, maximum: 1_000_000 },
    balanceAfter: { type: 'integer', minimum: 0 },
    percent: { type: 'number', exclusiveMinimum: 0, maximum: 100 },
    amountMinor: { type: 'integer', minimum: 0 },
    code: { type: 'string', maxLength: 64 },
    description: { type: 'string', maxLength: 500 },
    expiresOn: localDateField,
    used: { type: 'boolean' },
    createdAt: isoUtcField,
    createdAtMs: epochMsField,
  },
  required: ['id', 'locationId', 'clientId', 'kind', 'used', 'createdAt', 'createdAtMs'],
  indexes: [['clientId', 'createdAtMs'], ['locationId', 'createdAtMs']],
} as const;
