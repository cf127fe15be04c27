import { type Clock, sleep as defaultSleep, systemClock } from '../shared/index.js';

/** Client-side request pacing per logical API; the client calls it around every HTTP attempt. */
export interface RateLimiter {
  /** Resolves when a request for `api` may be sent. */
  acquire(api: string, signal?: AbortSignal): Promise<void>;
  /** The server answered 429 (or a throttle code); `retryAfterMs` from Retry-After. */
  onThrottled(api: string, retryAfterMs?: number): void;
  onSuccess(api: string): void;
}

export interface AdaptiveRateLimiter extends RateLimiter {
  /** Current allowance in requests/minute; undefined = unlimited (no 429 seen yet). */
  currentRate(api: string): number | undefined;
}

export interface AdaptiveRateLimiterOptions {
  /** Ceiling per API per minute; 0/undefined = unlimited until the first 429. */
  readonly perMinute?: number;
  readonly clock?: Clock;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const MINUTE_MS = 60_000;
/** Multiplicative decrease per throttle episode. */
const DECREASE_FACTOR = 0.7;
/** Additive increase per success: this share of the rate set at the last decrease. */
const INCREASE_SHARE = 0.01;
const MIN_RATE_PER_MINUTE = 1;
/** Pause when a 429 carries no Retry-After. */
const DEFAULT_PAUSE_MS = 1_000;
/**
 * Bucket depth: 0.1 s of traffic, at least one request. Gateways count fixed windows, where
 * a window can see burst + rate × window; a shallow bucket keeps that close to the rate.
 */
const BURST_SECONDS = 0.1;
/** Rate assumed when the very first request is throttled (nothing observed yet). */
const UNKNOWN_RATE_PER_MINUTE = 60;
const MAX_RECENT = 4_096;
/**
 * Congestion, not chance: the last CONGESTION_WINDOW answers of an API (successes and 429s;
 * 5xx say nothing about the rate) must hold at least CONGESTION_THROTTLES 429s before the
 * limiter slows down. A server that has run out of quota refuses nearly every request, so
 * this trips within a few requests; random 429s at 5 % reach 5 in 10 about once in 1,600
 * 429s (binomial tail), so they cost only their own prompt retry (lib/meeting/retry.ts), not
 * the pace of every caller.
 */
const CONGESTION_WINDOW = 10;
const CONGESTION_THROTTLES = 5;

interface ApiState {
  /** Requests per minute; undefined = unlimited. */
  rate: number | undefined;
  step: number;
  tokens: number;
  refilledAt: number;
  blockedUntil: number;
  /** Success times of the last minute, kept only while unlimited (for the first estimate). */
  recent: number[];
  /** When the server reopened after the last throttle, and successes since then. */
  cycleStart: number | undefined;
  cycleSuccesses: number;
  /** The last CONGESTION_WINDOW answers, oldest first: true = throttled. */
  answers: boolean[];
}

const capacity = (rate: number) => Math.max(1, (rate / 60) * BURST_SECONDS);

/**
 * AIMD token bucket per API. Unlimited (or `perMinute`) at start. A sporadic 429 is left to
 * the retry of the request it refused. Sustained 429s (CONGESTION_THROTTLES of the last
 * CONGESTION_WINDOW answers) are congestion: they block every caller of that API until
 * Retry-After has passed, so a throttle does not become a retry storm, and count as one
 * episode however many in-flight requests the server refused meanwhile. The first episode
 * sets the rate from what got through; each later one cuts it by 30 %, but not below the
 * rate the server actually delivered since it last reopened (against a fixed-window gateway
 * that is its quota per window, so a saturated client keeps using the whole quota). Each
 * success adds a small fixed step, up to `perMinute`. Waiters reserve their slot before
 * sleeping, so concurrent callers are spaced out, not released together.
 */
export const createAdaptiveRateLimiter = (options: AdaptiveRateLimiterOptions = {}): AdaptiveRateLimiter => {
  const ceiling = options.perMinute && options.perMinute > 0 ? options.perMinute : Number.POSITIVE_INFINITY;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? defaultSleep;
  const states = new Map<string, ApiState>();

  const stateOf = (api: string): ApiState => {
    let state = states.get(api);
    if (!state) {
      const rate = Number.isFinite(ceiling) ? ceiling : undefined;
      state = {
        rate,
        step: rate === undefined ? 0 : Math.max(0.1, rate * INCREASE_SHARE),
        tokens: rate === undefined ? 0 : capacity(rate),
        refilledAt: clock.now(),
        blockedUntil: 0,
        recent: [],
        cycleStart: undefined,
        cycleSuccesses: 0,
        answers: [],
      };
      states.set(api, state);
    }
    return state;
  };

  const refill = (state: ApiState, now: number) => {
    // refilledAt lies in the future while the server is closed: nothing accrues until it reopens.
    if (state.rate === undefined || now <= state.refilledAt) return;
    state.tokens = Math.min(
      capacity(state.rate),
      state.tokens + ((now - state.refilledAt) * state.rate) / MINUTE_MS,
    );
    state.refilledAt = now;
  };

  /** Successes of the last minute spread from the first of them until the server reopens. */
  const firstEstimate = (state: ApiState, now: number, reopensAt: number): number => {
    const recent = state.recent.filter((t) => now - t < MINUTE_MS);
    if (recent.length === 0) return UNKNOWN_RATE_PER_MINUTE;
    return (recent.length * MINUTE_MS) / Math.max(1_000, reopensAt - recent[0]!);
  };

  /** What the server let through between its last reopening and its next one. */
  const deliveredRate = (state: ApiState, reopensAt: number): number =>
    state.cycleStart === undefined || reopensAt <= state.cycleStart
      ? 0
      : (state.cycleSuccesses * MINUTE_MS) / (reopensAt - state.cycleStart);

  /** Remembers an answer; true when the window now shows congestion. */
  const congested = (state: ApiState, throttled: boolean): boolean => {
    state.answers.push(throttled);
    if (state.answers.length > CONGESTION_WINDOW) state.answers.shift();
    return throttled && state.answers.filter(Boolean).length >= CONGESTION_THROTTLES;
  };

  const waitWhileBlocked = async (state: ApiState, signal?: AbortSignal) => {
    for (let now = clock.now(); now < state.blockedUntil; now = clock.now()) {
      await sleep(state.blockedUntil - now, signal);
    }
  };

  return {
    acquire: async (api, signal) => {
      const state = stateOf(api);
      await waitWhileBlocked(state, signal);
      if (state.rate === undefined) return;
      refill(state, clock.now());
      state.tokens -= 1;
      if (state.tokens < 0) {
        const waitMs = Math.ceil((-state.tokens * MINUTE_MS) / state.rate);
        try {
          await sleep(waitMs, signal);
        } catch (error) {
          state.tokens += 1;
          throw error;
        }
      }
      // A throttle may have arrived while this caller waited for its slot.
      await waitWhileBlocked(state, signal);
    },

    onThrottled: (api, retryAfterMs) => {
      const state = stateOf(api);
      const now = clock.now();
      const until = now + (retryAfterMs ?? DEFAULT_PAUSE_MS);
      // The rest of a wave already handled: the server is closed until the latest Retry-After.
      if (now < state.blockedUntil) {
        state.blockedUntil = Math.max(state.blockedUntil, until);
        return;
      }
      // A sporadic 429: only the refused request waits (its retry honours Retry-After).
      if (!congested(state, true)) return;
      state.blockedUntil = until;
      state.answers = [];
      const reopensAt = state.blockedUntil;
      const next =
        state.rate === undefined
          ? firstEstimate(state, now, reopensAt)
          : Math.max(state.rate * DECREASE_FACTOR, deliveredRate(state, reopensAt));
      state.rate = Math.min(ceiling, Math.max(MIN_RATE_PER_MINUTE, next));
      state.step = Math.max(0.1, state.rate * INCREASE_SHARE);
      // A reopened window starts with a (shallow) full bucket.
      state.tokens = capacity(state.rate);
      state.refilledAt = reopensAt;
      state.recent = [];
      state.cycleStart = reopensAt;
      state.cycleSuccesses = 0;
    },

    onSuccess: (api) => {
      const state = stateOf(api);
      congested(state, false);
      if (state.rate === undefined) {
        const now = clock.now();
        state.recent.push(now);
        if (state.recent.length > MAX_RECENT || now - state.recent[0]! > MINUTE_MS) {
          state.recent = state.recent.filter((t) => now - t < MINUTE_MS).slice(-MAX_RECENT);
        }
        return;
      }
      state.cycleSuccesses++;
      if (state.rate < ceiling) state.rate = Math.min(ceiling, state.rate + state.step);
    },

    currentRate: (api) => states.get(api)?.rate,
  };
};

/**
 * Several limiters as one: a call waits for each in turn (put the one that only waits locally
 * first, so a shared slot is not held while it waits) and every answer is reported to all.
 */
export const combineRateLimiters = (...limiters: readonly RateLimiter[]): RateLimiter => ({
  acquire: async (api, signal) => {
    for (const limiter of limiters) await limiter.acquire(api, signal);
  },
  onThrottled: (api, retryAfterMs) => {
    for (const limiter of limiters) limiter.onThrottled(api, retryAfterMs);
  },
  onSuccess: (api) => {
    for (const limiter of limiters) limiter.onSuccess(api);
  },
});
