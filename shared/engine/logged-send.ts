/**
 * What the delivery log says about the sends of one channel of a job. The log is the one record of a send that no
 * peer can take back (append-only here, deletions from the sync endpoint refused), while the job document can be
 * replaced: a peer replaying an old version of a sent job (`planned`, no steps, no attempts), or a backup restored on
 * another desk, reaches every desk that never had the sent version — and planning still wants the job, so it was sent
 * again. Before a channel's first send of a job, the dispatcher asks the log; a channel the log shows handed to its
 * provider takes its outcome from the log instead of a second provider call (DESIGN §4.1).
 */
import type { DeliveryLogEntry } from '../domain/delivery-log.ts';
import type { JobState } from '../domain/job.ts';
import type { Channel } from '../notifications/catalog.ts';

/** Entries written only after the provider was called (or may have been: `uncertain` after a crash mid-call). */
const OUTCOMES: ReadonlySet<string> = new Set(['sent', 'delivered', 'failed', 'uncertain']);

type LoggedEntry = Pick<DeliveryLogEntry, 'channel' | 'status' | 'reasonCode' | 'atMs'>;

export type LoggedSend = Extract<JobState, 'delivered' | 'failed' | 'uncertain'>;

/**
 * The outcome the log gives the channel's send, or undefined when the log shows none. An `attempted` entry is written
 * after the hand-off and right before the provider call; only a lease lost in between (its `send.leaseLost` entry)
 * says the call was not made. A send without a final verdict in the log may have reached the recipient: `uncertain`,
 * which no fallback channel treats as a failure.
 */
export function loggedSend(entries: readonly LoggedEntry[], channel: Channel): LoggedSend | undefined {
  const mine = entries.filter((entry) => entry.channel === channel);
  const attempts = mine.filter((entry) => entry.status === 'attempted').length;
  const withdrawn = mine.filter((entry) => entry.status === 'notTried' && entry.reasonCode === 'send.leaseLost').length;
  const outcomes = mine.filter((entry) => OUTCOMES.has(entry.status)).sort((a, b) => a.atMs - b.atMs);
  if (outcomes.length === 0 && attempts <= withdrawn) return undefined;
  const last = outcomes.at(-1)?.status;
  return last === 'delivered' || last === 'failed' ? last : 'uncertain';
}

/**
 * For a step waiting to be sent again (a retry, the channel's next route): the outcome the log gives the channel when
 * its last word is not one a retry follows. A retry follows `retrying` or a route's `failed`; after `sent`,
 * `delivered` or `uncertain` the step cannot be waiting, and a version of the job that says so was replayed.
 */
export function loggedSendBeforeRetry(entries: readonly LoggedEntry[], channel: Channel): LoggedSend | undefined {
  const last = entries.filter((entry) => entry.channel === channel && (OUTCOMES.has(entry.status) || entry.status === 'retrying')).sort((a, b) => a.atMs - b.atMs).at(-1)?.status;
  if (last === 'delivered') return 'delivered';
  return last === 'sent' || last === 'uncertain' ? 'uncertain' : undefined;
}
