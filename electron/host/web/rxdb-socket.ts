/**
 * Web mode: one authenticated WebSocket on `/rxdb` becomes a peer of the remote-storage hub
 * (electron/host/remote-storage/hub.ts). Frames are bounded like the API's: above MAX_REQUEST_BYTES a frame is refused
 * unread (answering its request when its ids can be read from its first bytes), binary and non-JSON frames are refused,
 * and the socket stays open; ws closes it (1009) only for frames above MAX_FRAME_BYTES.
 */
import type { WebSocket } from 'ws';
import { MAX_REQUEST_BYTES, tooLarge } from '../../../shared/ipc/json-limits.ts';
import type { RemoteStorageHub } from '../remote-storage/hub.ts';
import { peekEnvelope } from '../remote-storage/storage-requests.ts';
import { frameBytes } from './frames.ts';

export const RXDB_SOCKET_PATH = '/rxdb';

export function attachRxdbSocket(ws: WebSocket, hub: RemoteStorageHub, log: (line: string) => void): void {
  const peer = hub.connect((message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  });
  ws.on('close', () => peer.close());
  ws.on('error', (error) => log(`RxDB socket error: ${error.message}`));
  ws.on('message', (data, isBinary) => {
    const frame = frameBytes(data);
    const head = () => peekEnvelope(frame.subarray(0, 1024).toString('latin1'));
    if (frame.length > MAX_REQUEST_BYTES) {
      const problem = tooLarge(MAX_REQUEST_BYTES, frame.length);
      return peer.refuse(head(), problem.code, `Storage message refused: ${problem.message}`);
    }
    if (isBinary) return peer.refuse(head(), 'invalid_request', 'Malformed storage message: binary frames are not part of the protocol.');
    let message: unknown;
    try {
      message = JSON.parse(frame.toString('utf8'));
    } catch {
      return peer.refuse(head(), 'invalid_request', 'Malformed storage message: not JSON.');
    }
    peer.receive(message);
  });
}
