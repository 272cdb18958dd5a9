/**
 * One channel of one location as the engine sees it (a ChannelProvider), built from the providers configured for it
 * in order — e.g. the `sms` channel as Telegram, then Twilio's WhatsApp, then Twilio's SMS. A send goes to the first
 * route not yet used for the message; the outcome names its route and says whether another route is left, so the
 * engine can move on (at once, or when a delivery report says the route failed) and remember where it is.
 */
import type { Channel } from '../../../shared/notifications/catalog.ts';
import type { ChannelProvider, OutgoingMessage, ReportOutcome, ReportQuery, SendOutcome } from '../../../shared/engine/provider.ts';
import type { CodedReason } from '../../../shared/engine/provider.ts';
import type { ProviderClient } from './providers/provider-client.ts';

export interface ChannelSetup {
  /** The providers of the channel at a location, in route order; an empty list means "not configured". */
  clients: readonly ProviderClient[];
  /** Why the channel cannot be used although providers exist (a secret missing on this desk…). */
  problem?: { reason: string } & CodedReason;
}

export interface ChannelRouterOptions {
  channel: Channel;
  /** Read at every call, so edited settings apply to the next message. */
  setup: (locationId: string) => ChannelSetup | undefined;
  notConfigured: { reason: string } & CodedReason;
}

interface Route {
  client: ProviderClient;
  route: string;
}

function routesOf(setup: ChannelSetup, message: OutgoingMessage): Route[] {
  return setup.clients.flatMap((client) => client.routes(message).map((route) => ({ client, route })));
}

export function createChannelRouter(options: ChannelRouterOptions): ChannelProvider {
  const { channel } = options;

  function readiness(locationId: string): ReturnType<ChannelProvider['readiness']> {
    const setup = options.setup(locationId);
    if (!setup || setup.clients.length === 0) return { ready: false, ...options.notConfigured };
    if (setup.problem) return { ready: false, ...setup.problem };
    return { ready: true };
  }

  async function send(message: OutgoingMessage, signal?: { readonly aborted: boolean }): Promise<SendOutcome> {
    const ready = readiness(message.locationId);
    if (!ready.ready) {
      const { ready: _r, ...reason } = ready;
      return { status: 'notTried', ...reason };
    }
    const setup = options.setup(message.locationId)!;
    const routes = routesOf(setup, message);
    const skip = new Set(message.skipRoutes ?? []);
    const index = routes.findIndex((r) => !skip.has(r.route));
    if (index < 0) {
      // No route can take this recipient at all (no linked chat, no phone…): the last provider says why in its words.
      const last = setup.clients.at(-1)!;
      const outcome = await last.send(message, last.allRoutes.at(-1) ?? 'default', signal as AbortSignal | undefined);
      return outcome.status === 'notTried' ? outcome : { status: 'notTried', reason: 'every route of this channel was already tried for this message' };
    }
    const { client, route } = routes[index]!;
    const outcome = await client.send(message, route, signal as AbortSignal | undefined);
    const more = index < routes.length - 1;
    if (outcome.status === 'failed' || outcome.status === 'notTried') {
      // A route that cannot take the message passes it on; a temporary failure is retried on the same route.
      const passOn = outcome.status === 'notTried' || (outcome.permanent && (outcome.nextRoute ?? true));
      return { ...outcome, route, nextRoute: more && passOn };
    }
    return { ...outcome, route };
  }

  async function report(query: ReportQuery, signal?: { readonly aborted: boolean }): Promise<ReportOutcome> {
    const setup = options.setup(query.locationId);
    if (!setup) return { status: 'unknown', reason: 'the channel is no longer configured' };
    const owner = setup.clients.find((client) => client.allRoutes.includes(query.route ?? ''));
    const client = owner ?? setup.clients.find((c) => c.report);
    if (!client?.report) return { status: 'unknown', reason: 'no provider of this channel reports delivery' };
    const answer = await client.report(query, signal as AbortSignal | undefined);
    if (answer.status === 'failed' && answer.nextRoute) {
      // The provider offers a next route only if the channel really has one after this route.
      const all = setup.clients.flatMap((c) => c.allRoutes);
      const at = all.indexOf(query.route ?? '');
      return { ...answer, nextRoute: at >= 0 && at < all.length - 1 };
    }
    return answer;
  }

  return {
    channel,
    readiness,
    send,
    report,
    idempotent: (locationId) => {
      const setup = options.setup(locationId);
      return !!setup && setup.clients.length > 0 && setup.clients.every((client) => client.idempotent);
    },
  };
}
