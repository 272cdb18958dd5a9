/**
 * The integrations of this desk, started and stopped with the salon: the store of integrations and tokens, and the
 * endpoint, which listens only while at least one integration exists (a desk without any opens no port).
 */
import type { FrontDeskDatabase } from '../../../shared/domain/database-types.ts';
import { INTEGRATION_EVENTS_PATH, type IntegrationKind, type IntegrationView } from '../../../shared/integrations/wire.ts';
import type { NotificationEngine } from '../engine/notification-engine.ts';
import type { SecretStore } from '../secret-store.ts';
import { handleIntegrationEvent, type DeskToast } from './integration-events.ts';
import { IntegrationServer, type EndpointStatus } from './integration-server.ts';
import { IntegrationStore, MAX_INTEGRATIONS } from './integration-store.ts';

export interface IntegrationServiceOptions {
  dataDir: string;
  db: FrontDeskDatabase;
  engine: NotificationEngine;
  secrets: SecretStore;
  now: () => number;
  deskId: () => string;
  log: (line: string) => void;
  toast: (toast: DeskToast) => void;
  /** Tests: listen here (0: any free port) instead of the port saved in the settings. */
  port?: number;
}

/** FRONTDESK_INTEGRATION_PORT: a port for every desk started in this environment (tests, a second desk on one computer). */
export function integrationPortFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env['FRONTDESK_INTEGRATION_PORT'];
  if (raw === undefined || raw === '') return undefined;
  const port = Number(raw);
  return Number.isInteger(port) && port >= 0 && port <= 65_535 ? port : undefined;
}

export class IntegrationService {
  readonly store: IntegrationStore;
  readonly server: IntegrationServer;
  #o: IntegrationServiceOptions;
  /** Start, stop and restart of the endpoint happen one after another. */
  #changes: Promise<unknown> = Promise.resolve();

  constructor(options: IntegrationServiceOptions) {
    this.#o = options;
    this.store = new IntegrationStore({ dataDir: options.dataDir, secrets: options.secrets, log: options.log });
    this.server = new IntegrationServer({
      log: options.log,
      verify: (token) => this.store.verify(token),
      handle: async (integration, event, meta) => {
        const answer = await handleIntegrationEvent(this.#deps(), integration, event, meta.test ? 'test' : 'integration');
        await this.store.touch(integration.id, options.now()).catch(() => undefined);
        return answer;
      },
    });
  }

  #deps() {
    const o = this.#o;
    return { db: o.db, engine: o.engine, now: o.now, deskId: o.deskId, toast: o.toast };
  }

  async start(): Promise<void> {
    await this.store.load();
    await this.#follow();
  }

  async stop(): Promise<void> {
    await this.#serial(() => this.server.stop());
  }

  get status(): EndpointStatus {
    return this.server.status;
  }

  get port(): number {
    return this.#o.port ?? this.store.port;
  }

  list(): IntegrationView[] {
    return this.store.list();
  }

  async create(input: { name: string; kind: IntegrationKind; locationId: string }): Promise<{ integration: IntegrationView; token: string }> {
    if (this.store.list().length >= MAX_INTEGRATIONS) throw new RangeError(`at most ${MAX_INTEGRATIONS} integrations per desk`);
    const made = await this.store.create(input, this.#o.now());
    await this.#follow();
    return made;
  }

  async remove(id: string): Promise<boolean> {
    const removed = await this.store.remove(id);
    await this.#follow();
    return removed;
  }

  async setPort(port: number): Promise<EndpointStatus> {
    await this.store.setPort(port);
    return this.#follow(true);
  }

  /**
   * "Send a test event": this desk calls its own endpoint over HTTP with the integration's token, exactly as the
   * terminal or phone system would, so the whole path (port, token, body, row, toast) is what gets tested.
   */
  async sendTest(id: string): Promise<{ ok: boolean; status: number; body: unknown }> {
    const integration = this.store.get(id);
    const token = integration && (await this.store.tokenOf(id));
    if (!integration || !token) return { ok: false, status: 0, body: { error: { code: 'integration.unknown' } } };
    const status = this.server.status;
    if (!status.listening) return { ok: false, status: 0, body: { error: { code: 'endpoint.off', message: status.problem ?? 'not listening' } } };
    const location = (await this.#o.db.locations.findOne(integration.locationId).exec())?.toMutableJSON();
    const event = integration.kind === 'phoneSystem'
      ? { type: 'incomingCall', phone: location?.phone ?? '+10000000000', callId: `test-${this.#o.now()}` }
      : { type: 'qrPayment', amountMinor: 100, currency: location?.currency ?? 'EUR', reference: `test-${this.#o.now()}` };
    const response = await fetch(`http://127.0.0.1:${status.port}${INTEGRATION_EVENTS_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-frontdesk-test': '1' },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(10_000),
    });
    return { ok: response.ok, status: response.status, body: (await response.json().catch(() => undefined)) as unknown };
  }

  /** Listens while integrations exist, on the chosen port; `restart` applies a new port. */
  #follow(restart = false): Promise<EndpointStatus> {
    return this.#serial(async () => {
      const wanted = this.store.list().length > 0;
      const listening = this.server.status.listening;
      if (!wanted) {
        if (listening) await this.server.stop();
        return this.server.status;
      }
      if (listening && !restart) return this.server.status;
      return this.server.start(this.port);
    });
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#changes.catch(() => undefined).then(work);
    this.#changes = next;
    return next;
  }
}
