import { type ErrorKind, MeetingError } from '../http/errors.js';

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
 * are), attempts run out, or the caller's signal aborts. A server Retry-After is the minimum
 * delay. Non-Meeting errors (bugs) are never retried.
 */
export const withRetry = async <T>(
  api: string,
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
): Promise<T> => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (
        !(error instanceof MeetingError) ||
        !error.retryable ||
        attempt >= policy.maxAttempts ||
        signal?.aborted
      ) {
        throw error;
      }
      const delayMs = Math.max(
        error.retryAfterMs ?? 0,
        backoffDelay(attempt, policy.random, policy.baseMs, policy.capMs),
      );
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
