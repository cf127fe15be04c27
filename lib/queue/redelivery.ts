/**
 * When an event that could not be applied comes back, and how many receives that may take.
 * A failed message is handed back with a growing delay (SQS ChangeMessageVisibility), so a long
 * Meeting outage costs few receives, while the cap bounds how long anything waits once Meeting
 * is back. The receive budget (the queue's maxReceiveCount) must outlast the longest outage we
 * ride out without dead-lettering: `minimumRetrySpanMs` says how long it does (docs/design.md
 * "Faults, outages and pacing").
 */
export interface RedeliveryPolicy {
  /** Delay after the first failed receive; it doubles with each further receive. */
  readonly baseMs: number;
  /** The longest delay: after an outage, everything is tried again within `recoveryWaitMs`. */
  readonly capMs: number;
  /** How long a worker stops calling Meeting after finding it unavailable (circuit breaker). */
  readonly pauseMs: number;
}

export const REDELIVERY: RedeliveryPolicy = Object.freeze({
  baseMs: 10_000,
  capMs: 300_000,
  pauseMs: 30_000,
});

/**
 * maxReceiveCount of the deployed queue (serverless.yml; test/deploy checks they agree). With
 * REDELIVERY it spans at least 3 hours of failures: a 2-hour outage never exhausts it.
 */
export const MAX_RECEIVE_COUNT = 50;

/** The longest outage the receive budget must ride out (docs/design.md). */
export const OUTAGE_TO_SURVIVE_MS = 2 * 3600_000;

/**
 * After an outage, the longest a message waits before it is tried again: the delay it was given
 * last during the outage, the rest of a worker's pause, and one more delay if it arrived while
 * that worker still paused (its breaker learns Meeting is back only from a probe).
 */
export const recoveryWaitMs = (policy: RedeliveryPolicy = REDELIVERY): number =>
  2 * policy.capMs + policy.pauseMs;

/** Delays are spread over [JITTER_FLOOR × d, d], so a backlog does not come back all at once. */
export const JITTER_FLOOR = 0.8;

/** SQS ChangeMessageVisibility accepts at most 12 hours. */
export const MAX_VISIBILITY_MS = 12 * 3600_000;

const nominalDelayMs = (receiveCount: number, policy: RedeliveryPolicy) =>
  Math.min(policy.capMs, MAX_VISIBILITY_MS, policy.baseMs * 2 ** Math.max(0, Math.min(receiveCount, 64) - 1));

/** The delay before a message that failed on its `receiveCount`-th receive comes back. */
export const redeliveryDelayMs = (
  receiveCount: number,
  random: () => number,
  policy: RedeliveryPolicy = REDELIVERY,
): number =>
  Math.round(nominalDelayMs(receiveCount, policy) * (JITTER_FLOOR + (1 - JITTER_FLOOR) * random()));

/**
 * The shortest time a message can keep failing before its `maxReceiveCount`-th receive fails
 * too (after which SQS dead-letters it): the sum of the smallest delays between receives.
 */
export const minimumRetrySpanMs = (
  maxReceiveCount: number,
  policy: RedeliveryPolicy = REDELIVERY,
): number => {
  let span = 0;
  for (let n = 1; n < maxReceiveCount; n++) span += nominalDelayMs(n, policy) * JITTER_FLOOR;
  return span;
};

/** Every duration multiplied by `factor`: shortened timings for local outage drills (chaos). */
export const scaleRedelivery = (policy: RedeliveryPolicy, factor: number): RedeliveryPolicy =>
  Object.freeze({
    baseMs: policy.baseMs * factor,
    capMs: policy.capMs * factor,
    pauseMs: policy.pauseMs * factor,
  });
