/** API handlers of Settings → Integrations: list, add (the token shown once), remove, the port, "Send a test event". */
import { issue } from '../../../shared/domain/issues.ts';
import { nameIssues, storedName } from '../../../shared/domain/names.ts';
import type { EndpointView } from '../../../shared/ipc/integrations-contract.ts';
import { findLocation, notFound, refuse } from '../commands/command-support.ts';
import { MAX_INTEGRATIONS } from '../integrations/integration-store.ts';
import type { SalonRuntime } from '../salon-runtime.ts';
import type { Handlers } from './router.ts';

type IntegrationChannels = 'integrations.list' | 'integrations.create' | 'integrations.remove' | 'integrations.setPort' | 'integrations.sendTest';

function endpointOf(runtime: SalonRuntime): EndpointView {
  const status = runtime.integrations.status;
  return status.listening
    ? { listening: true, port: status.port, url: status.url }
    : { listening: false, port: runtime.integrations.port, ...(status.problem ? { problem: status.problem } : {}) };
}

export function integrationHandlers(runtime: () => SalonRuntime): Pick<Handlers, IntegrationChannels> {
  const list = () => {
    const rt = runtime();
    return { endpoint: endpointOf(rt), integrations: rt.integrations.list().map((i) => ({ ...i, usable: rt.integrations.store.usable(i.id) })) };
  };
  return {
    'integrations.list': () => list(),
    'integrations.create': async ({ name, kind, locationId }) => {
      const rt = runtime();
      await findLocation(rt.db, locationId);
      const trimmed = storedName(name);
      const nameProblems = nameIssues(name, 'integration.name', 'name', 'name the integration, e.g. "Card terminal"');
      if (nameProblems.length > 0) refuse(nameProblems);
      if (rt.integrations.list().length >= MAX_INTEGRATIONS) refuse([issue('integration.tooMany', 'name', `at most ${MAX_INTEGRATIONS} integrations per desk`, { max: MAX_INTEGRATIONS })]);
      if (rt.integrations.list().some((i) => i.name.toLowerCase() === trimmed.toLowerCase())) refuse([issue('integration.name.taken', 'name', `an integration is already called "${trimmed}"`, { name: trimmed })]);
      const made = await rt.integrations.create({ name: trimmed, kind, locationId });
      return { integration: { ...made.integration, usable: true }, token: made.token };
    },
    'integrations.remove': async ({ id }) => {
      const removed = await runtime().integrations.remove(id);
      if (!removed) notFound('integration.unknown', 'id', `no integration "${id}" on this desk`, { id });
      return { removed };
    },
    'integrations.setPort': async ({ port }) => {
      const rt = runtime();
      await rt.integrations.setPort(port);
      return endpointOf(rt);
    },
    'integrations.sendTest': async ({ id }) => {
      const rt = runtime();
      if (!rt.integrations.store.get(id)) notFound('integration.unknown', 'id', `no integration "${id}" on this desk`, { id });
      const result = await rt.integrations.sendTest(id).catch((error: unknown) => ({ ok: false, status: 0, body: { error: { code: 'endpoint.unreachable', message: (error as Error).message } } }));
      const body = (result.body ?? {}) as { eventId?: unknown; error?: { code?: unknown; message?: unknown } };
      return {
        ok: result.ok,
        status: result.status,
        ...(typeof body.eventId === 'string' ? { eventId: body.eventId } : {}),
        ...(typeof body.error?.code === 'string' ? { code: body.error.code } : {}),
        ...(typeof body.error?.message === 'string' ? { message: body.error.message.slice(0, 500) } : {}),
      };
    },
  };
}
