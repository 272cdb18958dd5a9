/**
 * The messages between Electron main and the host in its utility process (process.parentPort on the host's side,
 * the UtilityProcess object on main's). The contract and the storage channel carry the web mode's own messages —
 * a call is ws-protocol's `{id, channel, payload}` and its answer `{type:'result', id, result}`, a host event
 * `{type:'event', event}`, a storage message RxDB's remote-storage message per renderer — wrapped in an envelope
 * that says which lane it travels on. The rest is the little that main does for the host: start it with its options,
 * wrap and unwrap the secret store's key with safeStorage, hear why it failed, and stop it.
 *
 * Messages are structured clones (never JSON text): the host checks every call (router.ts) and every storage message
 * (remote-storage/hub.ts) exactly as it does for the web mode's sockets.
 */
import type { HostEvent } from '../../../shared/ipc/contract.ts';
import type { ClientMessage, ServerMessage } from '../../../shared/ipc/ws-protocol.ts';
import type { StartFailure } from '../../../shared/i18n/start-failure.ts';

/** What main tells the host at start (the web mode takes the same from its command line). */
export interface HostStartOptions {
  dataDir: string;
  version: string;
  demo: boolean;
  /** Main wraps the secret store's key with safeStorage; the host asks it to over this port (`key` messages). */
  keyProtection?: { name: string };
  /** Without keyProtection: the folder of the key file (tests; default FRONTDESK_KEY_DIR or the user's config folder). */
  keyDir?: string;
  /** `--restore-backup FILE`: put that backup in place of the book before it opens (first start only, never a restart). */
  restoreFrom?: string;
  /** HostOptions.toastIcon: main knows where the app's files are unpacked. */
  toastIcon?: string;
}

export type KeyOperation = 'protect' | 'unprotect';

/** main → host */
export type ToHost =
  | { type: 'start'; options: HostStartOptions }
  | { type: 'api'; message: ClientMessage }
  /** `peer` names one renderer (main uses its webContents id); `message` is RxDB's remote-storage message. */
  | { type: 'storage'; peer: number; message: unknown }
  /** That renderer went away (closed, reloaded, crashed): its storage connections end. */
  | { type: 'storageClosed'; peer: number }
  | { type: 'keyResult'; id: number; ok: true; data: Uint8Array }
  | { type: 'keyResult'; id: number; ok: false; message: string }
  | { type: 'stop' };

/** host → main */
export type FromHost =
  | { type: 'ready' }
  /** The host could not start (data folder in use, damaged database, …): what to do, in English and as a reason. */
  | { type: 'startFailed'; failure: StartFailure }
  /** Call results and host events, as the web mode's API socket sends them. */
  | { type: 'api'; message: ServerMessage }
  | { type: 'storage'; peer: number; message: unknown }
  | { type: 'key'; id: number; op: KeyOperation; data: Uint8Array }
  /** An internal error the host cannot continue from; it stops and exits right after this. */
  | { type: 'fatal'; message: string }
  | { type: 'stopped' };

export type { HostEvent };
