import type { Channel, HostEvent } from './contract.ts';
import type { ApiResult } from './result.ts';

/** What the Electron preload exposes as `window.frontdesk`: one function per contract channel. */
export interface FrontDeskBridge {
  api: { [C in Channel]: (payload: unknown) => Promise<ApiResult<unknown>> };
  onEvent(listener: (event: HostEvent) => void): () => void;
}
