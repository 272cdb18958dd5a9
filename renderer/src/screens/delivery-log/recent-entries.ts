/**
 * The newest few thousand entries of the delivery log, kept in the page so that a filter picked on the log screen is
 * answered at once, without a round trip to the host, whenever these entries are sure to hold the whole answer.
 *
 * What is known: every entry of the location stamped after `cutoffMs` (all of them once it is -Infinity). The log is
 * append-only, so what the host says changed is entries written, from the `fromMs` of its deliveryLogChanged event on:
 * fetching that range again in place of what was here keeps the rest true. An answer is given only if it is certain — the newest
 * `limit` matches all lie after the cutoff, or the whole log is here — and it is then exactly the host's: the same
 * entries in the same order (newest first, ties by id).
 */
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import type { RequestOf } from '../../../../shared/ipc/contract.ts';

/** Entries asked of the host per call (the contract's most). */
export const RECENT_PAGE = 1000;
/** How many entries the page keeps: enough for a page of 200 of a filter that one entry in 25 matches. */
export const RECENT_KEPT = 5000;

/** A log.list request with its limit said (the screen always says it). */
export type LogRequest = RequestOf<'log.list'> & { limit: number };

const EQUALITY_FILTERS = ['type', 'channel', 'status', 'clientId', 'appointmentId'] as const;

/** The filters of a request, as one string ('' for none; the page's data attribute of what its rows answer). */
export function filtersKey(request: LogRequest): string {
  const parts: string[] = [];
  for (const key of [...EQUALITY_FILTERS, 'fromMs', 'toMs'] as const) if (request[key] !== undefined) parts.push(`${key}=${String(request[key])}`);
  return parts.join('&');
}

function matches(entry: DeliveryLogEntry, request: LogRequest): boolean {
  for (const key of EQUALITY_FILTERS) {
    const wanted = request[key];
    if (wanted !== undefined && entry[key] !== wanted) return false;
  }
  if (request.fromMs !== undefined && entry.atMs < request.fromMs) return false;
  if (request.toMs !== undefined && entry.atMs > request.toMs) return false;
  return true;
}

export class RecentEntries {
  /** Newest first. */
  #entries: DeliveryLogEntry[] = [];
  /** Every entry stamped after this is here (entries stamped exactly at it may be missing); -Infinity: the whole log. */
  #cutoffMs = Number.POSITIVE_INFINITY;
  /** More older entries share one stamp than a page holds: asking for older ones would return the same page. */
  #stuck = false;

  /** The location whose entries these are (undefined: every location's). */
  readonly locationId: string | undefined;

  constructor(locationId: string | undefined) {
    this.locationId = locationId;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Whether to ask the host for older entries (and which request), or undefined when enough are here. */
  nextOlder(): LogRequest | undefined {
    if (this.#cutoffMs === Number.NEGATIVE_INFINITY || this.#stuck || this.#entries.length >= RECENT_KEPT) return undefined;
    return this.#request(this.#entries.length === 0 ? {} : { toMs: this.#cutoffMs });
  }

  /** Takes the host's answer to `nextOlder()`'s request. */
  addOlder(request: LogRequest, answer: readonly DeliveryLogEntry[]): void {
    const previousCutoff = this.#entries.length === 0 ? Number.POSITIVE_INFINITY : this.#cutoffMs;
    if (answer.length < request.limit) this.#cutoffMs = Number.NEGATIVE_INFINITY;
    else {
      const oldest = answer[answer.length - 1]!.atMs;
      // A full page stamped at the cutoff and after would ask for the same page again: keep what is here.
      if (oldest >= this.#cutoffMs) {
        this.#stuck = true;
        return;
      }
      this.#cutoffMs = oldest;
    }
    // The answer holds every entry stamped at the old cutoff and before, down to its oldest: it replaces those here.
    this.#replace(answer, (entry) => entry.atMs > previousCutoff);
  }

  /** What to ask the host after it said entries from `fromMs` on were written (undefined: nothing is here to refresh). */
  refreshFrom(fromMs: number): LogRequest | undefined {
    if (this.#entries.length === 0) return undefined;
    // Changes older than the cutoff leave alone what is known.
    return this.#request({ fromMs: Math.max(fromMs, this.#cutoffMs) });
  }

  /** Takes the host's answer to `refreshFrom()`'s request; false if the range held too many to merge (reload). */
  addRefreshed(request: LogRequest, answer: readonly DeliveryLogEntry[]): boolean {
    if (answer.length >= request.limit) return false;
    // Every entry stamped from the request's start on, as the host has it now: it replaces those here.
    const from = request.fromMs ?? Number.NEGATIVE_INFINITY;
    this.#replace(answer, (entry) => entry.atMs < from, true);
    return true;
  }

  /** The host's answer to `request` if the entries here certainly hold it, else undefined. */
  answer(request: LogRequest): DeliveryLogEntry[] | undefined {
    if (request.locationId !== this.locationId || this.#entries.length === 0) return undefined;
    const found: DeliveryLogEntry[] = [];
    for (const entry of this.#entries) {
      if (entry.atMs <= this.#cutoffMs) break;
      if (matches(entry, request) && found.push(entry) >= request.limit) return found;
    }
    // Fewer than asked: certain when nothing matching can be older than what is here.
    const wholeRange = this.#cutoffMs === Number.NEGATIVE_INFINITY || (request.fromMs !== undefined && request.fromMs > this.#cutoffMs);
    return wholeRange ? found : undefined;
  }

  #request(range: Pick<LogRequest, 'fromMs' | 'toMs'>): LogRequest {
    return { limit: RECENT_PAGE, ...(this.locationId !== undefined ? { locationId: this.locationId } : {}), ...range };
  }

  /**
   * The entries that `keep` holds for (a run at the top, or with `below` at the bottom, of the newest-first list) with
   * the host's `answer` for the rest of the stamps — both in the host's order, so no sort: a refresh a second while
   * the log screen is open stays well under a millisecond.
   */
  #replace(answer: readonly DeliveryLogEntry[], keep: (entry: DeliveryLogEntry) => boolean, below = false): void {
    const ours = this.locationId === undefined ? answer : answer.filter((entry) => entry.locationId === this.locationId);
    let split = 0;
    if (below) {
      split = this.#entries.findIndex(keep);
      this.#entries = split < 0 ? [...ours] : [...ours, ...this.#entries.slice(split)];
    } else {
      while (split < this.#entries.length && keep(this.#entries[split]!)) split++;
      this.#entries = [...this.#entries.slice(0, split), ...ours];
    }
    // New entries come on top for as long as the screen is open: the oldest go, and with them the certainty about their
    // stamp (every entry after the new cutoff is still here).
    if (this.#entries.length > 2 * RECENT_KEPT) {
      this.#entries.length = RECENT_KEPT;
      this.#cutoffMs = this.#entries[RECENT_KEPT - 1]!.atMs;
    }
  }
}
