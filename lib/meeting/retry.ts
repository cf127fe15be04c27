import { ERROR_KIND, type ErrorKind, MeetingBudgetError, MeetingError } from '../http/errors.js';

export const RETRY_BASE_MS = 100;
export const RETRY_CAP_MS = 5_000;

export interface RetryEvent {
  readonly api: string;
  /** The attempt that failed (1-based). */
  readonly attempt: number;
  readonly delayMs: number;
  readonly kind: ErrorKind;
}

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1), for full jitter. */
  readonly random: () => number;
  readonly baseMs?: number;
  readonly capMs?: number;
  readonly onRetry?: (event: RetryEvent) => void;
  /** Whether an attempt after waiting `delayMs` still fits the caller's time; default: always. */
  readonly fits?: (delayMs: number) => boolean;
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base · 2^(attempt−1))). */
export const backoffDelay = (
  attempt: number,
  random: () => number,
  baseMs = RETRY_BASE_MS,
  capMs = RETRY_CAP_MS,
): number => Math.floor(random() * Math.min(capMs, baseMs * 2 ** (attempt - 1)));

/**
 * Runs `fn` until it succeeds, the error is not retryable (only kinds retryable/throttled
 * are), attempts run out, the caller's signal aborts, or the next attempt would not fit the
 * caller's time. A server Retry-After is the minimum delay, except after a call's first 429:
 * sporadic refusals are common and a prompt retry almost always gets through, while sustained
 * ones make the rate limiter block the whole API until Retry-After (rate-limiter.ts), and a
 * call refused twice waits it out itself. Non-Meeting errors (bugs) and calls refused for lack
 * of time (MeetingBudgetError) are never retried.
 */
export const withRetry = async <T>(
  api: string,
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> => {
  let throttled = false;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (
        !(error instanceof MeetingError) ||
        error instanceof MeetingBudgetError ||
        !error.retryable ||
        attempt >= policy.maxAttempts ||
        signal?.aborted
      ) {
        throw error;
      }
      const firstThrottle = error.kind === ERROR_KIND.throttled && !throttled;
      throttled ||= error.kind === ERROR_KIND.throttled;
      const delayMs = Math.max(
        firstThrottle ? 0 : (error.retryAfterMs ?? 0),
        backoffDelay(attempt, policy.random, policy.baseMs, policy.capMs),
      );
      // No time left for another attempt: the real failure is what the caller must hear about.
      if (policy.fits && !policy.fits(delayMs)) throw error;
      policy.onRetry?.({ api, attempt, delayMs, kind: error.kind });
      try {
        await policy.sleep(delayMs, signal);
      } catch {
        // Aborted while waiting: the last real failure says more than the abort reason.
        throw error;
      }
    }
  }
};
