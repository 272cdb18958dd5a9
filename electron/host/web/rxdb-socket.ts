/**
 * Web mode: one authenticated WebSocket on `/rxdb` becomes a peer of the remote-storage hub
 * (electron/host/remote-storage/hub.ts). Frames are bounded like the API's: above MAX_REQUEST_BYTES a frame is refused
 * unread (answering its request when its ids can be read from its first bytes), binary and non-JSON frames are refused,
 * and the socket stays open; ws closes it (1009) only for frames above MAX_FRAME_BYTES.
 */
import type { RawData, WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, tooLarge } from '../../../shared/ipc/json-limits.ts';
import type { RemoteStorageHub } from '../remote-storage/hub.ts';
import { peekEnvelope } from '../remote-storage/storage-requests.ts';
import { frameBytes, runFramesInTurn } from './frames.ts';

export const RXDB_SOCKET_PATH = '/rxdb';
/**
 * Storage requests of one socket being answered at once. A page has a few out (a screen's queries, a card's two); 5,000
 * queries of 1,000 clients sent at once took the host to 2.5 GB, each answer held until the page read it.
 */
export const MAX_STORAGE_REQUESTS_IN_FLIGHT = 32;
/** Answers the page has not read yet, in the socket's buffer, past which the next request waits for them to go out. */
const MAX_UNREAD_ANSWER_BYTES = 16 * 1024 * 1024;

export function attachRxdbSocket(ws: WebSocket, hub: RemoteStorageHub, log: (line: string) => void): void {
  let sent: Promise<void> = Promise.resolve();
  const peer = hub.connect((message) => {
    if (ws.readyState !== ws.OPEN) return;
    sent = new Promise((resolve) => ws.send(JSON.stringify(message), () => resolve()));
  });
  const receive = (data: RawData, isBinary: boolean): Promise<void> => {
    const frame = frameBytes(data);
    const head = () => peekEnvelope(frame.subarray(0, 1024).toString('latin1'));
    if (frame.length > MAX_REQUEST_BYTES) {
      const problem = tooLarge(MAX_REQUEST_BYTES, frame.length);
      return Promise.resolve(peer.refuse(head(), problem.code, `Storage message refused: ${problem.message}`));
    }
    if (isBinary) return Promise.resolve(peer.refuse(head(), 'invalid_request', 'Malformed storage message: binary frames are not part of the protocol.'));
    let message: unknown;
    try {
      message = JSON.parse(frame.toString('utf8'));
    } catch {
      return Promise.resolve(peer.refuse(head(), 'invalid_request', 'Malformed storage message: not JSON.'));
    }
    return peer.receive(message);
  };
  // Every request holds one of MAX_STORAGE_REQUESTS_IN_FLIGHT slots until its answer is handed to the socket (and, when
  // the page reads slowly, written): runFramesInTurn.
  runFramesInTurn(ws, MAX_STORAGE_REQUESTS_IN_FLIGHT, async (data, isBinary) => {
    await receive(data, isBinary);
    if (ws.bufferedAmount > MAX_UNREAD_ANSWER_BYTES) await sent;
  });
  ws.on('close', () => peer.close());
  ws.on('error', (error) => log(`RxDB socket error: ${error.message}`));
}
