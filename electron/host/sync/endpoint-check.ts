/**
 * Whether an endpoint address is acceptable (DESIGN §5, security): https anywhere; plain http only to this computer,
 * or with the manager's explicit consent — and then the status warns. Host side (the renderer shows the answer).
 */
import { isLoopbackHost } from '../../../shared/sync/sync-config.ts';

export type EndpointCheck =
  | { ok: true; url: string; insecure: boolean }
  | { ok: false; code: 'sync.endpoint.invalid' | 'sync.endpoint.credentialsInUrl' | 'sync.endpoint.insecure'; message: string };

/**
 * https anywhere; plain http only to this computer, or with the explicit consent (then `insecure` says to warn).
 * Returns the URL normalised to end with one "/".
 */
export function checkEndpoint(endpoint: string, allowInsecureHttp: boolean): EndpointCheck {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return { ok: false, code: 'sync.endpoint.invalid', message: `"${endpoint.slice(0, 200)}" is not a web address; enter it like https://couch.example.com:6984/` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, code: 'sync.endpoint.invalid', message: `The endpoint must start with https:// (got ${url.protocol}).` };
  }
  if (url.username || url.password) {
    return { ok: false, code: 'sync.endpoint.credentialsInUrl', message: 'Remove the user name and password from the address; enter them in their own fields, where the password is stored encrypted.' };
  }
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'http:' && !loopback && !allowInsecureHttp) {
    return {
      ok: false,
      code: 'sync.endpoint.insecure',
      message: `http://${url.host} is not encrypted: the desk password and the salon's data would cross the network readable. Use https://, or confirm plain http explicitly.`,
    };
  }
  return { ok: true, url: url.toString(), insecure: url.protocol === 'http:' && !loopback };
}
