/**
 * Fills a RecentEntries from the host and keeps it current: the newest pages first, one call at a time, and after each
 * deliveryLogChanged the range it names fetched again before the entries answer anything. Answers only while nothing
 * the host announced is still to be fetched, so a filter answered here is never older than the events the page heard.
 */
import type { DeliveryLogEntry } from '../../../../shared/domain/delivery-log.ts';
import { RecentEntries, type LogRequest } from './recent-entries.ts';

export type LogCall = (request: LogRequest) => Promise<{ entries: readonly unknown[] }>;

/** What the host announced and was not fetched yet: from a stamp on, or everything (a stamp it did not say). */
type Owed = { fromMs: number } | 'everything' | undefined;

export class RecentLogFeed {
  #recent: RecentEntries;
  #owed: Owed;
  #calling = false;
  /** The call in flight brings announced changes (an older page in flight leaves the newest entries true). */
  #refreshing = false;
  #stopped = false;
  #started = false;
  /** The connection to the host is gone: nothing here can be kept current again. */
  #lost = false;

  readonly #call: LogCall;
  readonly #locationId: string | undefined;

  constructor(call: LogCall, locationId: string | undefined) {
    this.#call = call;
    this.#locationId = locationId;
    this.#recent = new RecentEntries(locationId);
  }

  /** Starts filling, or goes on after stop() (React runs a development mount's effects twice). */
  start(): void {
    if ((this.#started && !this.#stopped) || this.#lost) return;
    this.#started = true;
    this.#stopped = false;
    void this.#pump();
  }

  /** Stops asking the host and answering; what is here stays for a start() again. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * The connection to the host is gone for good: what is here is dropped and nothing is answered again, so the screen
   * asks the host and says it cannot reach it, rather than answering from entries no one keeps current.
   */
  lost(): void {
    this.#lost = true;
    this.#stopped = true;
    this.#recent = new RecentEntries(this.#locationId);
  }

  /** The host said the log changed (its event's `fromMs`, if it gave one). */
  changed(fromMs: number | undefined): void {
    if (fromMs === undefined || this.#owed === 'everything') this.#owed = 'everything';
    else this.#owed = { fromMs: Math.min(fromMs, this.#owed?.fromMs ?? fromMs) };
    if (this.#started) void this.#pump();
  }

  /** How many entries are here. */
  get size(): number {
    return this.#recent.size;
  }

  /** The host's answer to `request`, if the entries here hold it for certain and are current; else undefined. */
  answer(request: LogRequest): DeliveryLogEntry[] | undefined {
    if (!this.#started || this.#stopped || this.#owed !== undefined || this.#refreshing) return undefined;
    return this.#recent.answer(request);
  }

  async #pump(): Promise<void> {
    while (!this.#calling && !this.#stopped) {
      const owed = this.#owed;
      let request: LogRequest | undefined;
      let refresh = false;
      if (owed !== undefined) {
        this.#owed = undefined;
        request = owed === 'everything' ? undefined : this.#recent.refreshFrom(owed.fromMs);
        if (request) refresh = true;
        else this.#recent = new RecentEntries(this.#locationId);
      }
      request ??= this.#recent.nextOlder();
      if (!request) return;
      this.#calling = true;
      this.#refreshing = refresh;
      try {
        const answer = (await this.#call(request)).entries as DeliveryLogEntry[];
        if (!refresh) this.#recent.addOlder(request, answer);
        else if (!this.#recent.addRefreshed(request, answer)) this.#owed = 'everything';
      } catch {
        // The host did not answer (a reconnect, a host restart): start again at the next change; until then the screen
        // asks the host.
        this.#recent = new RecentEntries(this.#locationId);
        this.#owed = undefined;
        return;
      } finally {
        this.#calling = false;
        this.#refreshing = false;
      }
    }
  }
}
