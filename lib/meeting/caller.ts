import { errorFromFailure } from '../http/classify.js';
import { ERROR_KIND, MeetingBudgetError, MeetingError } from '../http/errors.js';
import { newRequestId, type Transport } from '../http/transport.js';
import type { ResponseMeta } from '../http/wire.js';
import type { Clock, Log, TimeBudget } from '../shared/index.js';
import { withToken } from './auth-hook.js';
import type { ApiRequest, Dialect, QueryValue } from './dialects/types.js';
import type { RateLimiter } from './rate-limiter.js';
import { type RetryEvent, withRetry } from './retry.js';
import type { TokenProvider } from './token-port.js';

export interface CallContext {
  readonly requestId?: string;
  readonly signal?: AbortSignal;
  /** The caller's time left: attempts start only when their whole timeout fits (CallOptions). */
  readonly budget?: TimeBudget;
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
  /** The transport's per-attempt timeout: what one attempt may take at most. */
  readonly attemptTimeoutMs: number;
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

/** Time an attempt needs beyond its timeout (reading the answer, the caller's next step). */
export const ATTEMPT_MARGIN_MS = 500;

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
 * With a time budget, an attempt is sent only if its whole timeout fits in what is left, and
 * a wait (rate limiter, backoff) that would leave too little ends the call early: a request in
 * flight is never cut off by the caller's deadline.
 */
export const createCaller = (deps: CallerDeps): Caller => ({
  call: async (request, parse, context = {}, recover) => {
    const { api } = request;
    const requestId = context.requestId ?? newRequestId();
    const { signal, budget } = context;
    const url = `${deps.endpoint}${request.path}${queryString(request.query)}`;
    const attemptMs = deps.attemptTimeoutMs + ATTEMPT_MARGIN_MS;
    const fits = (waitMs: number) => !budget || budget.remainingMs() >= waitMs + attemptMs;
    const outOfTime = () =>
      new MeetingBudgetError(
        `${api} not sent: ${Math.max(0, Math.round(budget?.remainingMs() ?? 0))} ms left, an attempt needs ${attemptMs} ms`,
        { kind: ERROR_KIND.retryable, api, requestId },
      );

    /** A rate-limit slot, waited for only as long as an attempt would still fit afterwards. */
    const acquire = async () => {
      if (!budget) return deps.rateLimiter.acquire(api, signal);
      if (!fits(0)) throw outOfTime();
      const deadline = AbortSignal.timeout(Math.max(1, budget.remainingMs() - attemptMs));
      try {
        await deps.rateLimiter.acquire(api, signal ? AbortSignal.any([signal, deadline]) : deadline);
      } catch (error) {
        if (deadline.aborted && !signal?.aborted) throw outOfTime();
        throw error;
      }
      if (!fits(0)) throw outOfTime();
    };

    const send = (attempt: number) => async (token: string) => {
      await acquire();
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
        fits,
        onRetry: (event) => {
          deps.logger.debug('meeting retry', { ...event, requestId });
          deps.onRetry?.(event);
        },
      },
      signal,
    );
  },
});
