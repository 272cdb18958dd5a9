/**
 * The one validating wrapper every transport goes through: it checks the channel is in the
 * contract, bounds the payload (json-limits.ts), parses it with the channel's schema, runs the handler, checks the answer,
 * and turns every failure into `{ok:false}` — a bad call or a throwing handler never crashes the host.
 */
import { contract, isChannel, type Channel, type ParsedRequestOf, type ResponseOf } from '../../../shared/ipc/contract.ts';
import { formatIssues } from '../../../shared/ipc/format-issues.ts';
import { checkJsonValue } from '../../../shared/ipc/json-limits.ts';
import { requestIssues } from '../../../shared/ipc/request-issues.ts';
import { ApiError, fail, ok, type ApiResult } from '../../../shared/ipc/result.ts';
import { noteWindowRequest } from '../engine/time-slice.ts';

export type Handler<C extends Channel> = (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> | ResponseOf<C>;
export type Handlers = { [C in Channel]: Handler<C> };

export interface ApiRouter {
  call(channel: unknown, payload: unknown): Promise<ApiResult<unknown>>;
}

export interface RouterOptions {
  /** Where unexpected handler failures are reported (never the payload: it may hold client data). */
  onHandlerError?: (channel: Channel, error: unknown) => void;
  /** A coded answer for a failure a handler did not expect but the desk can act on (a full disk); undefined: none. */
  explainFailure?: (error: unknown) => ApiError | undefined;
}

export function createApiRouter(handlers: Handlers, options: RouterOptions = {}): ApiRouter {
  return {
    async call(channel, payload) {
      noteWindowRequest();
      if (!isChannel(channel)) {
        const shown = typeof channel === 'string' ? `'${channel.slice(0, 80)}'` : `a ${typeof channel}`;
        return fail('unknown_channel', `Unknown API channel ${shown}. Known channels: ${Object.keys(contract).join(', ')}.`);
      }
      // Bounded before any schema sees it: size, depth, plain JSON, no prototype keys (IPC delivers structured clones).
      const problem = checkJsonValue(payload);
      if (problem) return fail(problem.code, `${channel}: ${problem.message}`);
      const spec = contract[channel];
      const parsed = spec.request.safeParse(payload ?? {});
      if (!parsed.success) {
        return fail('invalid_request', `Invalid request for ${channel}: ${formatIssues(parsed.error.issues)}.`, { reason: 'request.invalid', issues: requestIssues(parsed.error.issues) });
      }
      let value: unknown;
      try {
        const handler = handlers[channel] as Handler<typeof channel>;
        value = await handler(parsed.data as never);
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.toBody() };
        options.onHandlerError?.(channel, error);
        const explained = options.explainFailure?.(error);
        if (explained) return { ok: false, error: explained.toBody() };
        const reason = error instanceof Error ? error.message : String(error);
        return fail('handler_failed', `${channel} failed: ${reason}`);
      }
      const checked = spec.response.safeParse(value);
      if (!checked.success) {
        options.onHandlerError?.(channel, checked.error);
        return fail('invalid_response', `${channel} produced an invalid answer: ${formatIssues(checked.error.issues)}.`);
      }
      return ok(checked.data);
    },
  };
}
