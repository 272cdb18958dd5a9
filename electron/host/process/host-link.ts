/**
 * Main's side of the host process: starts it, carries calls, storage messages and host events across its port, and
 * watches it. A host that dies (an internal error, a kill, the OS) is reported and started again; the windows stay,
 * and are told to reopen their data once the new host is ready. Calls made while the host starts or restarts wait
 * for it; a call the dead host had already received is answered "unavailable" (it may or may not have been done).
 *
 * No Electron here (electron/main/host-relay.ts plugs in utilityProcess, ipcMain and safeStorage), so tests drive it
 * with a plain Node child process.
 */
import { fail, type ApiErrorDetails, type ApiResult } from '../../../shared/ipc/result.ts';
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import type { FromHost, HostStartOptions, ToHost } from './protocol.ts';
import type { StartFailure } from '../../../shared/i18n/start-failure.ts';

/** The process running host-process.ts, as main sees it (utilityProcess, or a Node child in tests). */
export interface HostChild {
  postMessage(message: ToHost): void;
  onMessage(listener: (message: FromHost) => void): void;
  onExit(listener: (code: number | null) => void): void;
  kill(): void;
}

export interface ParentKeyProtection {
  name: string;
  protect(key: Buffer): Promise<Buffer>;
  unprotect(wrapped: Buffer): Promise<Buffer>;
}

export type HostLinkState = 'starting' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export interface HostLinkOptions {
  spawn: () => HostChild;
  startOptions: Omit<HostStartOptions, 'keyProtection'>;
  /** Main's safeStorage; the host asks for the key to be wrapped and unwrapped through the port. */
  keyProtection?: ParentKeyProtection;
  log: (line: string) => void;
  onEvent: (event: HostEvent) => void;
  onStorage: (peer: number, message: unknown) => void;
  /**
   * A restarted host refused to start (data folder in use, damaged database, …): say it; the app cannot run. (The
   * first start says it by rejecting `start()`.)
   */
  onStartFailed: (failure: StartFailure) => void;
  /** The host stopped unexpectedly. `restarting` is false once it has crashed too often to try again. */
  onCrash: (report: { message: string; restarting: boolean }) => void;
  /** Waits before each restart, the last one repeated (default 200 ms, 1 s, 5 s). */
  restartDelaysMs?: readonly number[];
  /** More crashes than this within `crashWindowMs` and the link gives up (default 5 in 10 minutes). */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long a clean stop may take before the process is killed (default 15 s). */
  stopTimeoutMs?: number;
  now?: () => number;
}

export interface HostLink {
  readonly state: HostLinkState;
  /** Starts the first host; resolves once it is ready, rejects with what to do if it refused to start or died. */
  start(): Promise<void>;
  call(channel: unknown, payload: unknown): Promise<ApiResult<unknown>>;
  /** A storage message from renderer `peer`. */
  storage(peer: number, message: unknown): void;
  storageClosed(peer: number): void;
  stop(): Promise<void>;
}

/** The first start's refusal, as `start()` rejects with it: the failure's reason goes with it to the dialog. */
export class HostStartFailedError extends Error {
  readonly failure: StartFailure;
  constructor(failure: StartFailure) {
    super(failure.message);
    this.name = 'HostStartFailedError';
    this.failure = failure;
  }
}

export function createHostLink(options: HostLinkOptions): HostLink {
  const delays = options.restartDelaysMs ?? [200, 1000, 5000];
  const maxCrashes = options.maxCrashes ?? 5;
  const crashWindowMs = options.crashWindowMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  let state: HostLinkState = 'starting';
  let child: HostChild | undefined;
  let fatalMessage: string | undefined;
  let nextId = 1;
  const pending = new Map<number, (result: ApiResult<unknown>) => void>();
  /** Messages waiting for a host that is ready. */
  let queue: ToHost[] = [];
  const crashes: number[] = [];
  let firstStart: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let exited: Promise<void> = Promise.resolve();

  const send = (message: ToHost) => {
    if (state === 'running' && child) child.postMessage(message);
    else queue.push(message);
  };

  const onKeyRequest = (request: Extract<FromHost, { type: 'key' }>, to: HostChild) => {
    const protection = options.keyProtection;
    const answer = (message: ToHost) => to.postMessage(message);
    if (!protection) return answer({ type: 'keyResult', id: request.id, ok: false, message: 'No key protection in this process.' });
    protection[request.op](Buffer.from(request.data)).then(
      (data) => answer({ type: 'keyResult', id: request.id, ok: true, data: new Uint8Array(data) }),
      (error: unknown) => answer({ type: 'keyResult', id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }),
    );
  };

  // A backup is restored by the first start only: a host restarted after a crash must not put it back again over
  // what the desk did since.
  const startOptionsFor = (restarted: boolean) => {
    if (!restarted) return options.startOptions;
    const { restoreFrom: _restored, ...rest } = options.startOptions;
    return rest;
  };

  const launch = (restarted: boolean) => {
    const current = options.spawn();
    child = current;
    fatalMessage = undefined;
    let markExited: () => void = () => {};
    exited = new Promise((resolve) => (markExited = resolve));
    current.onMessage((message) => {
      if (child !== current) return;
      switch (message?.type) {
        case 'ready': {
          state = 'running';
          const waiting = queue;
          queue = [];
          for (const queued of waiting) current.postMessage(queued);
          firstStart?.resolve();
          firstStart = undefined;
          if (restarted) options.onEvent({ type: 'hostRestarted' });
          return;
        }
        case 'startFailed':
          state = 'failed';
          answerPending('unavailable', message.failure.message, { reason: message.failure.reason, params: { ...message.failure.params } });
          current.kill();
          if (!firstStart) return options.onStartFailed(message.failure);
          firstStart.reject(new HostStartFailedError(message.failure));
          firstStart = undefined;
          return;
        case 'api':
          if (message.message.type === 'result') {
            pending.get(message.message.id)?.(message.message.result);
            pending.delete(message.message.id);
          } else if (message.message.type === 'event') options.onEvent(message.message.event);
          return;
        case 'storage':
          return options.onStorage(message.peer, message.message);
        case 'key':
          return onKeyRequest(message, current);
        case 'fatal':
          fatalMessage = message.message;
          return;
        case 'stopped':
          return;
        default:
          options.log(`ignored a message of unknown type from the host: ${String((message as { type?: unknown } | null)?.type).slice(0, 40)}`);
      }
    });
    current.onExit((code) => {
      markExited();
      if (child !== current) return;
      child = undefined;
      if (state === 'stopping' || state === 'stopped' || state === 'failed') return;
      crashed(fatalMessage ?? `The FrontDesk host process ended unexpectedly (exit code ${code ?? 'none'}).`);
    });
    current.postMessage({
      type: 'start',
      options: { ...startOptionsFor(restarted), ...(options.keyProtection ? { keyProtection: { name: options.keyProtection.name } } : {}) },
    });
  };

  const answerPending = (code: 'unavailable', message: string, why?: ApiErrorDetails) => {
    for (const resolve of pending.values()) resolve(fail(code, message, why));
    pending.clear();
  };

  const crashed = (message: string) => {
    options.log(`The host stopped unexpectedly: ${message}`);
    answerPending('unavailable', 'FrontDesk\'s background service stopped while answering this and is starting again. Check whether the change was saved, then try again.');
    if (firstStart) {
      // It never came up: the same as a refusal to start (main says it and quits).
      state = 'failed';
      firstStart.reject(new Error(message));
      firstStart = undefined;
      return;
    }
    const at = now();
    crashes.push(at);
    while (crashes.length > 0 && crashes[0]! < at - crashWindowMs) crashes.shift();
    const restarting = crashes.length <= maxCrashes;
    options.onCrash({ message, restarting });
    if (!restarting) {
      state = 'failed';
      return;
    }
    state = 'restarting';
    const delay = delays[Math.min(crashes.length - 1, delays.length - 1)] ?? 1000;
    setTimeout(() => {
      if (state === 'restarting') launch(true);
    }, delay);
  };

  return {
    get state() {
      return state;
    },
    start() {
      return new Promise<void>((resolve, reject) => {
        firstStart = { resolve, reject };
        launch(false);
      });
    },
    call(channel, payload) {
      if (state === 'failed' || state === 'stopping' || state === 'stopped') {
        return Promise.resolve(fail('unavailable', state === 'failed' ? 'FrontDesk\'s background service is not running.' : 'FrontDesk is stopping.'));
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        send({ type: 'api', message: { id, channel: typeof channel === 'string' ? channel : String(channel), payload } });
      });
    },
    storage(peer, message) {
      send({ type: 'storage', peer, message });
    },
    storageClosed(peer) {
      send({ type: 'storageClosed', peer });
    },
    async stop() {
      if (state === 'stopped') return;
      const previous = state;
      state = 'stopping';
      answerPending('unavailable', 'FrontDesk is stopping.');
      queue = [];
      const running = child;
      if (running && previous !== 'failed') {
        running.postMessage({ type: 'stop' });
        const timer = setTimeout(() => running.kill(), options.stopTimeoutMs ?? 15_000);
        await exited;
        clearTimeout(timer);
      } else running?.kill();
      state = 'stopped';
    },
  };
}
