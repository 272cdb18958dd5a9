/**
 * The host in its own process (the desktop app's Electron utility process): the whole FrontDesk core — database,
 * engine, providers, sync — answers main over one parent port, so nothing it does (a synchronous SQLite commit, a
 * cold plan, an SMTP handshake) ever holds up Electron main, which moves windows and draws menus.
 *
 * Node only and free of Electron: the utility process entry (entry.ts) hands it `process.parentPort`; tests hand it a
 * stand-in over a plain Node child process's IPC (test/electron/host/process/). See protocol.ts for the messages.
 */
import { ApiError, fail } from '../../../shared/ipc/result.ts';
import { FrontDeskHost, WINDOW_HEAD_START_MS } from '../host.ts';
import { installProcessGuard } from '../process-guard.ts';
import { createRemoteStorageHub, databaseSource, type RemoteStoragePeer } from '../remote-storage/hub.ts';
import type { KeyProtection } from '../secret-store.ts';
import { startFailureOf } from '../start-failure.ts';
import type { FromHost, HostStartOptions, KeyOperation, ToHost } from './protocol.ts';

/** The shape of Electron's `process.parentPort` this needs (a message event carries `data`). */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

export interface HostProcessOptions {
  log?: (line: string) => void;
  /** Tests: how the process ends (default process.exit) and where the guard listens (default this process). */
  exit?: (code: number) => void;
  guardTarget?: NodeJS.EventEmitter;
}

/** How long a `stop` may take before the process exits anyway (main kills it a little later still). */
const STOP_TIMEOUT_MS = 10_000;

export function runHostProcess(parent: ParentPortLike, options: HostProcessOptions = {}): void {
  const log = options.log ?? ((line: string) => console.error(`[frontdesk host] ${line}`));
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const post = (message: FromHost) => {
    try {
      parent.postMessage(message);
    } catch (error) {
      log(`cannot reach Electron main: ${String(error)}`);
    }
  };
  let host: FrontDeskHost | undefined;
  let starting: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  const peers = new Map<number, RemoteStoragePeer>();
  const keyRequests = new Map<number, { resolve: (data: Buffer) => void; reject: (error: Error) => void }>();
  let nextKeyRequest = 1;
  // The engine's timers are unref'd (they must not keep a process alive by themselves); the host process lives until
  // main says stop.
  const keepAlive = setInterval(() => undefined, 60_000);

  // A window's reads wait for the database, not for the whole host (providers, sync and engine start after it).
  const hub = createRemoteStorageHub({ source: async () => databaseSource(await requireHost().whenDatabaseReady()), log });
  const requireHost = () => {
    if (!host) throw new ApiError('unavailable', 'FrontDesk is starting; try again in a moment.');
    return host;
  };

  const keyProtection = (name: string): KeyProtection => {
    const ask = (op: KeyOperation, data: Buffer) =>
      new Promise<Buffer>((resolve, reject) => {
        const id = nextKeyRequest++;
        keyRequests.set(id, { resolve, reject });
        post({ type: 'key', id, op, data: new Uint8Array(data) });
      });
    return { name, protect: (key) => ask('protect', key), unprotect: (wrapped) => ask('unprotect', wrapped) };
  };

  const start = async (startOptions: HostStartOptions) => {
    host = new FrontDeskHost({
      dataDir: startOptions.dataDir,
      mode: 'electron',
      version: startOptions.version,
      log,
      demo: startOptions.demo,
      startPlanDelayMs: WINDOW_HEAD_START_MS,
      ...(startOptions.keyProtection ? { keyProtection: keyProtection(startOptions.keyProtection.name) } : {}),
      ...(startOptions.keyDir ? { keyDir: startOptions.keyDir } : {}),
      ...(startOptions.restoreFrom ? { restoreFrom: startOptions.restoreFrom } : {}),
      ...(startOptions.toastIcon ? { toastIcon: startOptions.toastIcon } : {}),
    });
    host.onEvent((event) => post({ type: 'api', message: { type: 'event', event } }));
    try {
      await host.start();
    } catch (error) {
      // Main says it in a dialog and ends this process; nothing was half-done (FrontDeskHost.start).
      post({ type: 'startFailed', failure: startFailureOf(error) });
      return;
    }
    post({ type: 'ready' });
  };

  const stop = () => {
    stopping ??= (async () => {
      const timeout = setTimeout(() => exit(0), STOP_TIMEOUT_MS);
      timeout.unref();
      hub.close();
      try {
        // A stop during the start waits for it, so the database is never opened after the host stopped.
        await starting;
        await host?.stop();
      } catch (error) {
        log(`stopping failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
      clearInterval(keepAlive);
      post({ type: 'stopped' });
      exit(0);
    })();
    return stopping;
  };

  const call = (message: unknown) => {
    const { id, channel, payload } = (message ?? {}) as { id?: unknown; channel?: unknown; payload?: unknown };
    if (typeof id !== 'number') return log('ignored an API message without a numeric id');
    const reply = (result: Awaited<ReturnType<FrontDeskHost['api']['call']>>) => post({ type: 'api', message: { type: 'result', id, result } });
    if (!host) return reply(fail('unavailable', 'FrontDesk is starting; try again in a moment.'));
    // The router answers every call itself, bad ones included; this catch is for a bug in it.
    host.api.call(channel, payload).then(reply, (error: unknown) => {
      log(`API call failed unexpectedly: ${String(error)}`);
      reply(fail('handler_failed', 'The host could not answer this call; see its log.'));
    });
  };

  const storage = (peerId: unknown, message: unknown) => {
    if (typeof peerId !== 'number') return log('ignored a storage message without a peer');
    let peer = peers.get(peerId);
    if (!peer) {
      peer = hub.connect((answer) => post({ type: 'storage', peer: peerId, message: answer }));
      peers.set(peerId, peer);
    }
    void peer.receive(message);
  };

  const keyResult = (message: Extract<ToHost, { type: 'keyResult' }>) => {
    const request = keyRequests.get(message.id);
    keyRequests.delete(message.id);
    if (!request) return;
    if (message.ok) request.resolve(Buffer.from(message.data));
    else request.reject(new Error(message.message));
  };

  parent.on('message', ({ data }) => {
    const message = data as ToHost | undefined;
    switch (message?.type) {
      case 'start':
        starting ??= start(message.options);
        return;
      case 'api':
        return call(message.message);
      case 'storage':
        return storage(message.peer, message.message);
      case 'storageClosed':
        peers.get(message.peer)?.close();
        peers.delete(message.peer);
        return;
      case 'keyResult':
        return keyResult(message);
      case 'stop':
        return void stop();
      default:
        log(`ignored a message of unknown type from main: ${String((data as { type?: unknown } | null)?.type).slice(0, 40)}`);
    }
  });

  // Electron's utilityProcess.kill() is a SIGTERM: stop as cleanly as for a `stop` message.
  process.once('SIGTERM', () => void stop());
  installProcessGuard({
    log,
    // Main hears it before the process ends, reports it and starts a new host.
    tellUser: (message) => post({ type: 'fatal', message }),
    stop: async () => {
      hub.close();
      await host?.stop();
    },
    exit,
    ...(options.guardTarget ? { target: options.guardTarget } : {}),
  });
}
