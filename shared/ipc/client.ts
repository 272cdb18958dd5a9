import type { Channel, RequestOf, ResponseOf } from './contract.ts';
import { ApiError, type ApiResult, type ErrorParams } from './result.ts';

/** How a call reaches the host: Electron IPC through the preload, or the web mode's WebSocket. */
export interface ApiTransport {
  call(channel: Channel, payload: unknown): Promise<ApiResult<unknown>>;
}

export interface ApiClient {
  /** Answers the raw result; never throws for API errors. */
  request<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ApiResult<ResponseOf<C>>>;
  /** Answers the value or throws an ApiError carrying the host's code and message. */
  call<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>>;
}

export function createApiClient(transport: ApiTransport): ApiClient {
  const request = async <C extends Channel>(channel: C, payload: RequestOf<C>) => {
    try {
      return (await transport.call(channel, payload)) as ApiResult<ResponseOf<C>>;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // A transport that knows why it failed (the web socket refused: no token, another address) says so by reason.
      const { reason, params } = (error ?? {}) as { reason?: unknown; params?: ErrorParams };
      const why = typeof reason === 'string' ? { reason, ...(params ? { params } : {}) } : {};
      return { ok: false as const, error: { code: 'transport_failed' as const, message, ...why } };
    }
  };
  return {
    request,
    async call(channel, payload) {
      const result = await request(channel, payload);
      if (!result.ok) throw new ApiError(result.error.code, result.error.message, result.error);
      return result.value;
    },
  };
}
