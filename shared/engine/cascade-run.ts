/**
 * Bridges the outbox's cascade steps and the pure cascade decision: what each client channel can reach, what the
 * steps recorded so far mean as attempts, and the steps a job starts with.
 */
import type { Client } from '../domain/client.ts';
import type { CascadeStep } from '../domain/job.ts';
import type { NotificationSettings } from '../domain/notification-settings.ts';
import { CLIENT_CHANNELS, isMarketingType, type Channel } from '../notifications/catalog.ts';
import { decideCascade, type Attempt, type CascadeDecision, type Reachability, type ScenarioMap } from '../notifications/cascade.ts';
import { plainReason, type ReasonFields } from '../notifications/reasons.ts';
import { MINUTE_MS } from '../notifications/zoned-time.ts';

export type ProviderReadiness = (channel: Channel) => { ready: true } | { ready: false; reason: string };

/**
 * What each client channel can reach for a message of `type`: the client's contacts and apps, their opt-out of a
 * channel (all messages, or marketing ones for a marketing type), and whether the provider is set up.
 */
export function clientReach(client: Client, readiness: ProviderReadiness, type?: string): Partial<Record<Channel, Reachability>> {
  const reach: Partial<Record<Channel, Reachability>> = {};
  const contact: Record<(typeof CLIENT_CHANNELS)[number], Reachability> = {
    email: client.email ? { reachable: true } : { reachable: false, reason: 'noEmailAddress', detail: 'the client has no email address' },
    aggregatorPush: client.apps.aggregator || (client.apps.aggregatorPushTokens ?? []).length > 0 ? { reachable: true } : { reachable: false, reason: 'appNotInstalled', detail: 'the client app is not installed' },
    brandedPush: (client.apps.brandedPushTokens ?? []).length > 0 ? { reachable: true } : { reachable: false, reason: 'noPushToken', detail: "the salon's app is not installed" },
    // A linked Telegram chat reaches the client on the sms channel's messenger route even without a phone number.
    sms: client.phone || client.telegram?.chatId ? { reachable: true } : { reachable: false, reason: 'noPhone', detail: 'the client has no phone number' },
  };
  for (const channel of CLIENT_CHANNELS) {
    const optOut = client.channelOptOuts?.[channel];
    if (optOut === 'all' || (optOut === 'marketing' && type !== undefined && isMarketingType(type))) {
      reach[channel] = { reachable: false, reason: 'optedOut', detail: optOut };
      continue;
    }
    const provider = readiness(channel);
    reach[channel] = !contact[channel].reachable
      ? contact[channel]
      : provider.ready
        ? { reachable: true }
        : { reachable: false, reason: 'providerNotConfigured', detail: provider.reason };
  }
  return reach;
}

/** Why a channel could not be tried, as the reason fields a step and its log entry carry. */
export function reachReason(channel: Channel, reach: Reachability | undefined): ReasonFields {
  if (!reach || reach.reachable) return plainReason('channel.notApplicable', { channel });
  switch (reach.reason) {
    case 'noEmailAddress':
      return plainReason('channel.noEmail');
    case 'appNotInstalled':
      return plainReason('channel.noApp');
    case 'noPushToken':
      return plainReason('channel.noPushToken');
    case 'noPhone':
      return plainReason('channel.noPhone');
    case 'optedOut':
      return plainReason(reach.detail === 'marketing' ? 'channel.optedOutMarketing' : 'channel.optedOut', { channel });
    case 'providerNotConfigured': {
      const coded = plainReason('channel.notConfigured', { channel, ...(reach.detail ? { detail: reach.detail } : {}) });
      return reach.detail ? { ...coded, reason: `${coded.reason}: ${reach.detail}` } : coded;
    }
    case 'notApplicable':
      return plainReason('channel.notApplicable', { channel });
  }
}

export function scenariosOf(settings: NotificationSettings): ScenarioMap {
  const map: Partial<Record<Channel, NonNullable<ScenarioMap[Channel]>>> = {};
  for (const channel of CLIENT_CHANNELS) map[channel] = settings.channels[channel]?.scenario ?? 'off';
  return map;
}

export function verdictWindowMs(settings: NotificationSettings, channel: Channel): number {
  return (settings.channels[channel]?.verdictWindowMinutes ?? 0) * MINUTE_MS;
}

/**
 * Steps are the job's memory of each channel: `sent` waits for a report, `planned` for a retry or the channel's next
 * route (both undecided until then), the rest are final.
 */
export function attemptsFromSteps(steps: readonly CascadeStep[], settings: NotificationSettings): Partial<Record<Channel, Attempt>> {
  const attempts: Partial<Record<Channel, Attempt>> = {};
  for (const step of steps) {
    const at = step.at ? Date.parse(step.at) : 0;
    switch (step.state) {
      case 'planned':
      case 'sending':
        attempts[step.channel] = { status: 'pending', verdictDeadline: step.retryAt ?? at, lastKnown: 'inFlight' };
        break;
      case 'delivered':
      case 'sandboxed':
        attempts[step.channel] = { status: 'delivered' };
        break;
      case 'failed':
      case 'uncertain':
        // An uncertain step may have reached the client: it must not be treated as a failure that triggers a fallback.
        attempts[step.channel] = step.state === 'failed' ? { status: 'failed', reason: step.reason } : { status: 'delivered' };
        break;
      case 'sent':
        attempts[step.channel] = { status: 'pending', verdictDeadline: step.verdictAt ?? at + verdictWindowMs(settings, step.channel), lastKnown: 'inFlight' };
        break;
      case 'skipped':
        attempts[step.channel] = { status: 'notTried', reason: step.reason ?? 'could not be tried' };
        break;
      default:
        break;
    }
  }
  return attempts;
}

export function decideClientCascade(args: {
  settings: NotificationSettings;
  client: Client;
  /** The message's type: marketing types also skip channels the client opted out of for marketing. */
  type?: string;
  steps: readonly CascadeStep[];
  readiness: ProviderReadiness;
  now: number;
  notAfter: number;
}): CascadeDecision {
  return decideCascade({
    scenarios: scenariosOf(args.settings),
    reach: clientReach(args.client, args.readiness, args.type),
    attempts: attemptsFromSteps(args.steps, args.settings),
    now: args.now,
    deadline: args.notAfter,
    notAfter: args.notAfter,
  });
}
