import { errorFromFailure } from '../http/classify.js';
import { ERROR_KIND, MeetingError } from '../http/errors.js';
import { newRequestId, type Transport } from '../http/transport.js';
import type { ResponseMeta } from '../http/wire.js';
import type { Clock, Log } from '../shared/index.js';
import { withToken } from './auth-hook.js';
import type { ApiRequest, Dialect, QueryValue } from './dialects/types.js';
import type { RateLimiter } from './rate-limiter.js';
import { type RetryEvent, withRetry } from './retry.js';
import type { TokenProvider } from './token-port.js';

export interface CallContext {
  readonly requestId?: string;
  readonly signal?: AbortSignal;
}

/**
 * Called with a failure of attempt `attempt`; returns a result that replaces the failure
 * (e.g. create answered already-exists after a retry), or undefined to let it stand.
 */
export type Recover<T> = (error: MeetingError, attempt: number) => Promise<T> | undefined;

export interface Caller {
  call<T>(
    request: ApiRequest,
    /** Reads the unwrapped payload (tolerantly, see lib/http/wire.ts); `meta` names the answer. */
    parse: (payload: unknown, meta: Required<ResponseMeta>) => T,
    context?: CallContext,
    recover?: Recover<T>,
  ): Promise<T>;
}

export interface CallerDeps {
  readonly endpoint: string;
  readonly maxAttempts: number;
  readonly dialect: Dialect;
  readonly tokens: TokenProvider;
  readonly transport: Transport;
  readonly rateLimiter: RateLimiter;
  readonly clock: Clock;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly random: () => number;
  readonly logger: Log;
  readonly onRetry?: (event: RetryEvent) => void;
}

const queryString = (query: Readonly<Record<string, QueryValue>> | undefined): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.append(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
};

/**
 * Composes the layers for one logical call, outermost first: retry (backoff, Retry-After) →
 * auth hook (token, one re-login on 401) → rate limiter → transport → dialect unwrap → parse.
 * The X-Request-Id stays the same across attempts so one call can be traced end to end.
 */
export const createCaller = (deps: CallerDeps): Caller => ({
  call: async (request, parse, context = {}, recover) => {
    const { api } = request;
    const requestId = context.requestId ?? newRequestId();
    const { signal } = context;
    const url = `${deps.endpoint}${request.path}${queryString(request.query)}`;

    const send = (attempt: number) => async (token: string) => {
      await deps.rateLimiter.acquire(api, signal);
      const response = await deps.transport({
        api,
        method: request.method,
        url,
        headers: deps.dialect.authHeaders(token),
        body: request.body,
        requestId,
        signal,
        attempt,
      });
      let payload: unknown;
      try {
        payload = deps.dialect.unwrap(api, response, deps.clock.now());
      } catch (error) {
        // Pacing feedback: a throttle slows down; a deliberate refusal (4xx) still shows the
        // server had capacity; a 5xx says nothing about the rate.
        if (error instanceof MeetingError && error.kind === ERROR_KIND.throttled) {
          deps.rateLimiter.onThrottled(api, error.retryAfterMs);
        } else if (!(error instanceof MeetingError && error.kind === ERROR_KIND.retryable)) {
          deps.rateLimiter.onSuccess(api);
        }
        throw error;
      }
      deps.rateLimiter.onSuccess(api);
      return parse(payload, { requestId: response.requestId, endpoint: response.endpoint });
    };

    const attemptOnce = async (attempt: number) => {
      try {
        return await withToken(deps.tokens, send(attempt), { api, requestId, signal, logger: deps.logger });
      } catch (error) {
        // The caller gave up while we waited for a token or a rate-limit slot: still a typed error.
        if (!(error instanceof MeetingError) && signal?.aborted) {
          throw errorFromFailure(api, error, { requestId, aborted: true });
        }
        const recovered = error instanceof MeetingError ? recover?.(error, attempt) : undefined;
        if (recovered) return recovered;
        throw error;
      }
    };

    return withRetry(
      api,
      attemptOnce,
      {
        maxAttempts: deps.maxAttempts,
        sleep: deps.sleep,
        random: deps.random,
        onRetry: (event) => {
          deps.logger.debug('meeting retry', { ...event, requestId });
          deps.onRetry?.(event);
        },
      },
      signal,
    );
  },
});
