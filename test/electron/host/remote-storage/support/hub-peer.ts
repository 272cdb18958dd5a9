/** A test peer of the remote-storage hub: sends RxDB remote-storage messages as JSON would carry them, awaits answers. */
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import type { MessageFromRemote } from 'rxdb/plugins/storage-remote';
import type { HubMessage, RemoteStorageHub, RemoteStoragePeer, StorageProtocolError } from '../../../../../electron/host/remote-storage/hub.ts';
import type { FrontDeskHost } from '../../../../../electron/host/host.ts';

export interface HubPeer {
  peer: RemoteStoragePeer;
  protocolErrors: StorageProtocolError[];
  changes: MessageFromRemote[];
  /** Every answer with its request id, in arrival order. */
  answers: MessageFromRemote[];
  /** Sends a well-formed envelope; resolves with the answer to it. */
  request(connectionId: string, method: string, params: unknown): Promise<MessageFromRemote>;
  /** Opens a connection to a collection exactly as RxDB's remote storage does; resolves with the answer. */
  create(connectionId: string, collectionName: string, overrides?: Record<string, unknown>): Promise<MessageFromRemote>;
  /** Sends anything (after a JSON round trip unless `raw`); resolves with the answer to `requestId` if given. */
  send(message: unknown, requestId?: string): Promise<MessageFromRemote | undefined>;
}

let nextRequest = 1;

export function connectPeer(hub: RemoteStorageHub, host: FrontDeskHost): HubPeer {
  const waiting = new Map<string, (message: MessageFromRemote) => void>();
  const protocolErrors: StorageProtocolError[] = [];
  const changes: MessageFromRemote[] = [];
  const answers: MessageFromRemote[] = [];
  const peer = hub.connect((message: HubMessage) => {
    const copy = JSON.parse(JSON.stringify(message)) as HubMessage;
    if ('type' in copy) return void protocolErrors.push(copy);
    if (copy.answerTo === 'changestream') return void changes.push(copy);
    answers.push(copy);
    waiting.get(copy.answerTo)?.(copy);
    waiting.delete(copy.answerTo);
  });
  const answerTo = (requestId: string) =>
    new Promise<MessageFromRemote>((resolve, reject) => {
      const already = answers.find((a) => a.answerTo === requestId);
      if (already) return resolve(already);
      const timer = setTimeout(() => reject(new Error(`no answer to ${requestId} within 10 s`)), 10_000);
      waiting.set(requestId, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  const send = (message: unknown, requestId?: string) => {
    const answer = requestId === undefined ? Promise.resolve(undefined) : answerTo(requestId);
    peer.receive(message === undefined ? undefined : JSON.parse(JSON.stringify(message)));
    return answer;
  };
  const request = (connectionId: string, method: string, params: unknown) => {
    const requestId = `r${nextRequest++}`;
    return send({ connectionId, requestId, method, version: RXDB_VERSION, params }, requestId) as Promise<MessageFromRemote>;
  };
  return {
    peer,
    protocolErrors,
    changes,
    answers,
    request,
    send,
    create(connectionId, collectionName, overrides = {}) {
      const collection = (host.runtime.db.collections as Record<string, { schema: { jsonSchema: unknown } } | undefined>)[collectionName];
      return request(connectionId, 'create', {
        databaseInstanceToken: 'token-of-the-page',
        databaseName: 'frontdesk',
        collectionName,
        schema: collection?.schema.jsonSchema ?? { version: 0 },
        options: {},
        multiInstance: false,
        devMode: false,
        ...overrides,
      });
    },
  };
}

/** The error an answer carries, or a failure when it carries a result. */
export function errorOf(answer: MessageFromRemote | undefined): { message: string; code?: string } {
  if (!answer?.error) throw new Error(`expected an error answer, got ${JSON.stringify(answer)?.slice(0, 300)}`);
  return answer.error as { message: string; code?: string };
}
