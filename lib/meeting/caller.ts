import { errorFromFailure } from '../http/classify.js';
import { ERROR_KIND, MeetingBudgetError, MeetingError } from '../http/errors.js';
import { newRequestId, type Transport, type TransportResponse } from '../http/transport.js';
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
  /** The caller's time left: each attempt's timeout is cut to fit in it (CallOptions, below). */
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

/**
 * The shortest timeout an attempt is sent with when the configured one (MEETING_TIMEOUT_MS)
 * does not fit in the time left: Meeting answers in well under a second when it is healthy, so
 * a shorter attempt is still a reasonable call, while anything shorter would mostly time out.
 */
export const MIN_ATTEMPT_TIMEOUT_MS = 2_000;

/**
 * The least time left for which a call is sent at all: the shortest attempt and its margin. A
 * configured timeout below the floor is its own floor.
 */
export const minimumBudgetMs = (attemptTimeoutMs: number): number =>
  Math.min(attemptTimeoutMs, MIN_ATTEMPT_TIMEOUT_MS) + ATTEMPT_MARGIN_MS;

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
 * With a time budget, each attempt's timeout is the configured one cut to what is left (minus
 * ATTEMPT_MARGIN_MS), and an attempt is sent only if that is at least MIN_ATTEMPT_TIMEOUT_MS:
 * so a configured timeout as long as the whole invocation (or longer) still lets an invocation
 * make its calls, and no request outlives the invocation, so none is cut off at its deadline.
 * A wait (rate limiter, backoff) that would leave too little for an attempt ends the call
 * early. An attempt cut short that gets no answer in its time fails with MeetingBudgetError,
 * not as a Meeting timeout: it says the invocation ran out, not that Meeting is down
 * (lib/lifecycle/meeting-breaker.ts), and the event comes back for a fresh invocation.
 */
export const createCaller = (deps: CallerDeps): Caller => ({
  call: async (request, parse, context = {}, recover) => {
    const { api } = request;
    const requestId = context.requestId ?? newRequestId();
    const { signal, budget } = context;
    const url = `${deps.endpoint}${request.path}${queryString(request.query)}`;
    const neededMs = minimumBudgetMs(deps.attemptTimeoutMs);
    const fits = (waitMs: number) => !budget || budget.remainingMs() >= waitMs + neededMs;
    const outOfTime = () =>
      new MeetingBudgetError(
        `${api} not sent: ${Math.max(0, Math.round(budget?.remainingMs() ?? 0))} ms left, an attempt needs at least ${neededMs} ms`,
        { kind: ERROR_KIND.retryable, api, requestId, neededMs },
      );
    /**
     * The timeout of an attempt sent now: the configured one, or what is left of the budget if
     * that is less (acquire has checked that it is at least the floor). Undefined: not cut.
     */
    const cutTimeout = (): number | undefined => {
      if (!budget) return undefined;
      const leftMs = Math.floor(budget.remainingMs() - ATTEMPT_MARGIN_MS);
      return leftMs < deps.attemptTimeoutMs ? Math.max(1, leftMs) : undefined;
    };

    /** A rate-limit slot, waited for only as long as an attempt would still fit afterwards. */
    const acquire = async () => {
      if (!budget) return deps.rateLimiter.acquire(api, signal);
      if (!fits(0)) throw outOfTime();
      const deadline = AbortSignal.timeout(Math.max(1, Math.floor(budget.remainingMs() - neededMs)));
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
      const cutMs = cutTimeout();
      // The transport's own timeout stays the configured one; a cut attempt also ends at this one.
      const cut = cutMs === undefined ? undefined : AbortSignal.timeout(cutMs);
      let response: TransportResponse;
      try {
        response = await deps.transport({
          api,
          method: request.method,
          url,
          headers: deps.dialect.authHeaders(token),
          body: request.body,
          requestId,
          signal: cut ? (signal ? AbortSignal.any([signal, cut]) : cut) : signal,
          attempt,
        });
      } catch (error) {
        if (cut?.aborted && !signal?.aborted) {
          throw new MeetingBudgetError(
            `${api} got no answer in the ${cutMs} ms left of the invocation (the attempt's timeout cut from ${deps.attemptTimeoutMs} ms)`,
            { kind: ERROR_KIND.retryable, api, requestId, neededMs, cause: error },
          );
        }
        throw error;
      }
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
      // Waiting for a token (a login) spends the budget like a call: it may last only as long as
      // an attempt would still fit afterwards. The shared login itself goes on for later calls.
      const tokenDeadline = budget
        ? AbortSignal.timeout(Math.max(1, Math.floor(budget.remainingMs() - neededMs)))
        : undefined;
      const tokenSignal =
        tokenDeadline && signal ? AbortSignal.any([signal, tokenDeadline]) : (tokenDeadline ?? signal);
      try {
        return await withToken(deps.tokens, send(attempt), {
          api,
          requestId,
          ...(tokenSignal && { signal: tokenSignal }),
          logger: deps.logger,
        });
      } catch (error) {
        if (!(error instanceof MeetingError) && tokenDeadline?.aborted && !signal?.aborted) throw outOfTime();
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
