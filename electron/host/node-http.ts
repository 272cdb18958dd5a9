/**
 * node:http through `require`, not an ES import: for an ES import Node reads every export of the module, and three
 * of them (WebSocket, CloseEvent, MessageEvent) load Node's bundled undici. Measured at start: 20–30 ms on a quiet
 * core, 130–260 ms on a busy machine, for classes the host never uses. (Type imports from 'node:http' cost nothing.)
 */
import { createRequire } from 'node:module';
import type * as NodeHttp from 'node:http';

export const http = createRequire(import.meta.url)('node:http') as typeof NodeHttp;
