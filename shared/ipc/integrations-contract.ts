/**
 * The integration channels of the IPC contract (merged into `contract`): this desk's payment terminals and phone
 * systems, their endpoint, and "Send a test event". A token goes out once, in the answer of `integrations.create`;
 * nothing else ever returns it.
 */
import { z } from 'zod';
import { INTEGRATION_KINDS } from '../integrations/wire.ts';
import { id } from './schemas/common.ts';

const empty = z.object({}).strict();

const integrationView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(INTEGRATION_KINDS),
  locationId: z.string(),
  createdAt: z.string(),
  lastEventAt: z.string().optional(),
  /** False when its token cannot be read on this computer (lost key): it accepts nothing until made again. */
  usable: z.boolean(),
});

export const endpointView = z.object({
  listening: z.boolean(),
  /** The port chosen in the settings (or by the environment). */
  port: z.number().int(),
  url: z.string().optional(),
  problem: z.string().optional(),
});

export const integrationsContract = {
  'integrations.list': { request: empty, response: z.object({ endpoint: endpointView, integrations: z.array(integrationView) }) },
  'integrations.create': {
    request: z.object({ name: z.string().max(80), kind: z.enum(INTEGRATION_KINDS), locationId: id }).strict(),
    response: z.object({ integration: integrationView, token: z.string() }),
  },
  'integrations.remove': { request: z.object({ id }).strict(), response: z.object({ removed: z.boolean() }) },
  'integrations.setPort': { request: z.object({ port: z.number().int().min(1024).max(65_535) }).strict(), response: endpointView },
  'integrations.sendTest': {
    request: z.object({ id }).strict(),
    response: z.object({ ok: z.boolean(), status: z.number().int(), code: z.string().optional(), message: z.string().optional(), eventId: z.string().optional() }),
  },
} as const;

export type IntegrationListView = z.infer<(typeof integrationsContract)['integrations.list']['response']>;
export type EndpointView = z.infer<typeof endpointView>;
