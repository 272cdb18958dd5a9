/**
 * Reads what clients send back, from every enabled provider whose API lists it (Telegram's getUpdates long poll,
 * Twilio's inbound message list, the SMS gateway's inbound URL), and hands each message to the engine once. Only the
 * desk that dispatches a location reads its replies (two desks long-polling one bot would take turns losing updates).
 *
 * One loop per provider client, following the hub: a rebuilt client (new token, new URL) gets a new loop, a removed
 * or disabled one stops. Between polls it sleeps until the next poll is due — Telegram's long poll waits at the
 * server, the list APIs are read every `listIntervalMs` — and backs off after failures.
 */
import type { Clock, Timers } from '../../../shared/time/clock.ts';
import type { LoadedProvider } from './provider-hub.ts';
import type { InboundMessage, ProviderClient } from './providers/provider-client.ts';

export interface InboundPollerOptions {
  hub: { all(): LoadedProvider[]; onChange(listener: () => void): () => void };
  receive(locationId: string, message: InboundMessage, provider: LoadedProvider): Promise<unknown>;
  /** This desk dispatches (and so reads replies for) the location now. */
  mayPoll(locationId: string): boolean;
  clock: Clock;
  timers: Timers;
  log(line: string): void;
  /** Between reads of a list API (Twilio, the SMS gateway). Default 20 s. */
  listIntervalMs?: number;
  /** Least time between two long polls (a server that answers at once must not make a busy loop). Default 1 s. */
  longPollGapMs?: number;
  /** Most time to back off after failures. Default 5 min. */
  maxBackoffMs?: number;
}

interface Loop {
  client: ProviderClient;
  abort: AbortController;
}

export class InboundPoller {
  readonly #options: InboundPollerOptions;
  readonly #loops = new Map<string, Loop>();
  #unsubscribe: (() => void) | undefined;
  #running: Promise<void>[] = [];

  constructor(options: InboundPollerOptions) {
    this.#options = options;
  }

  start(): void {
    this.#unsubscribe = this.#options.hub.onChange(() => this.#reconcile());
    this.#reconcile();
  }

  /** Stops every loop and waits for polls in flight to end (they are aborted). */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const loop of this.#loops.values()) loop.abort.abort();
    this.#loops.clear();
    await Promise.allSettled(this.#running);
  }

  /** Loops running now, by provider document id (tests). */
  running(): string[] {
    return [...this.#loops.keys()];
  }

  #reconcile(): void {
    if (!this.#unsubscribe) return;
    const wanted = new Map(this.#options.hub.all().filter((p) => p.doc.enabled && p.client?.inbound).map((p) => [p.doc.id, p]));
    for (const [id, loop] of this.#loops) {
      if (wanted.get(id)?.client === loop.client) continue;
      loop.abort.abort();
      this.#loops.delete(id);
    }
    for (const [id, provider] of wanted) {
      if (this.#loops.has(id)) continue;
      const loop: Loop = { client: provider.client!, abort: new AbortController() };
      this.#loops.set(id, loop);
      const running = this.#run(provider, loop).catch((error: unknown) => this.#options.log(`Replies of ${id} stopped: ${(error as Error).message}`));
      this.#running.push(running);
      void running.then(() => (this.#running = this.#running.filter((r) => r !== running)));
    }
  }

  #sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const timer = this.#options.timers.after(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
      const onAbort = () => {
        timer.cancel();
        resolve();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  async #run(provider: LoadedProvider, loop: Loop): Promise<void> {
    const { clock, log } = this.#options;
    const signal = loop.abort.signal;
    const longPoll = provider.doc.kind === 'telegram';
    const interval = longPoll ? (this.#options.longPollGapMs ?? 1_000) : (this.#options.listIntervalMs ?? 20_000);
    const maxBackoff = this.#options.maxBackoffMs ?? 300_000;
    let failures = 0;
    while (!signal.aborted) {
      const started = clock.now();
      if (this.#options.mayPoll(provider.doc.locationId)) {
        try {
          const messages = await loop.client.inbound!(signal);
          if (signal.aborted) return;
          failures = 0;
          for (const message of messages) {
            try {
              await this.#options.receive(provider.doc.locationId, message, provider);
            } catch (error) {
              log(`A reply read from ${loop.client.label} could not be handled: ${(error as Error).message}`);
            }
          }
        } catch (error) {
          if (signal.aborted) return;
          failures++;
          log(`Replies could not be read from ${loop.client.label}: ${(error as Error).message}`);
        }
      }
      const backoff = failures > 0 ? Math.min(maxBackoff, interval * 2 ** Math.min(failures, 16)) : interval;
      await this.#sleep(Math.max(0, backoff - (longPoll && failures === 0 ? clock.now() - started : 0)), signal);
    }
  }
}
