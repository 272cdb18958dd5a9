import type { RawData, WebSocket } from 'ws';

/** ws hands a frame over as one Buffer, an ArrayBuffer, or its fragments, depending on binaryType and fragmentation. */
export function frameBytes(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

/**
 * Takes a socket's frames `max` at a time: `run` settles when its frame's slot may be given back (its answer written,
 * or handed over); frames beyond `max` wait, and the socket stops reading meanwhile. A page that sends thousands of
 * requests at once, or reads its answers slowly, then waits for them instead of making the host hold every answer.
 */
export function runFramesInTurn(ws: WebSocket, max: number, run: (data: RawData, isBinary: boolean) => Promise<void>): void {
  const waiting: [RawData, boolean][] = [];
  let busy = 0;
  const start = (data: RawData, isBinary: boolean) => {
    busy++;
    void run(data, isBinary).then(done, done);
  };
  const done = () => {
    busy--;
    while (busy < max && waiting.length > 0) start(...waiting.shift()!);
    if (waiting.length === 0 && ws.isPaused) ws.resume();
  };
  ws.on('close', () => waiting.splice(0));
  ws.on('message', (data, isBinary) => {
    if (busy < max && waiting.length === 0) return start(data, isBinary);
    waiting.push([data, isBinary]);
    ws.pause();
  });
}
