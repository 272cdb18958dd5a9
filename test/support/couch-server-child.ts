/**
 * The CouchDB-compatible test server (couch-server.ts) in a process of its own, as a real endpoint would be: what it
 * costs (CPU, memory) is not counted against the desk measured beside it. Driven by couch-server-process.ts:
 *
 *   node couch-server-child.ts            → prints `port <n>`, then answers `stop`/`resume`/`close` lines with `ok`.
 */
import { createInterface } from 'node:readline';
import { startCouchServer } from './couch-server.ts';

const server = await startCouchServer();
process.stdout.write(`port ${server.port}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  const done = () => process.stdout.write(`ok ${line}\n`);
  if (line === 'stop') void server.stop().then(done);
  else if (line === 'resume') void server.resume().then(done);
  else if (line === 'rss') process.stdout.write(`ok rss ${process.memoryUsage().rss}\n`);
  else if (line === 'close') void server.close().then(() => {
    done();
    process.exit(0);
  });
});
