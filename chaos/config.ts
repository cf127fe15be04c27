import { z } from 'zod';
import type { FaultConfig } from '../simulator/index.js';

/**
 * A Meeting outage drill: while the history is sent, every call is answered 5xx (first half) or
 * refused (the port closed, second half); then Meeting comes back. Timings are shortened by
 * `timeScale`: the worker's redelivery delays and breaker pause (lib/queue/redelivery.ts) and
 * the outage are divided by it, so 2 hours at 60 take 2 minutes. What is not shortened (the
 * work itself, HTTP timeouts) only makes the drill harder.
 */
export interface OutageConfig {
  /** Outage length in production minutes. */
  readonly minutes: number;
  /** Production seconds per real second. */
  readonly timeScale: number;
  /** After Meeting is back, everything must have converged within this (production minutes). */
  readonly convergeWithinMinutes: number;
}

export const DEFAULT_OUTAGE: OutageConfig = Object.freeze({
  minutes: 120,
  timeScale: 60,
  convergeWithinMinutes: 15,
});

/** Everything a chaos run varies. Sizes and rates are per run; the seed makes it reproducible. */
export interface ChaosConfig {
  readonly seed: number;
  /** Unique HR events, poison ones included. */
  readonly events: number;
  readonly employees: number;
  /** Employees whose Meeting account already belongs to another HR id: their events must dead-letter. */
  readonly poisonEmployees: number;
  /** Events per webhook delivery (the webhook's limit is 100). */
  readonly deliverySize: number;
  /** Deliveries in flight at once. */
  readonly senders: number;
  /** Share of deliveries the sender posts again with the same webhook-id (a sender retry). */
  readonly repostRate: number;
  /** Share of deliveries whose events (a subset) are sent again in a new delivery. */
  readonly resendRate: number;
  /** Share of employees whose events arrive out of HR order. */
  readonly reorderRate: number;
  /** Share of worker invocations killed before they acknowledge anything. */
  readonly killRate: number;
  /** Simulator faults; `seed` is derived from the run seed. */
  readonly faults: Omit<FaultConfig, 'seed' | 'apis'>;
  /** Client timeout; keep it below faults.slowMs so slow answers become timeouts. */
  readonly meetingTimeoutMs: number;
  /**
   * Local queue visibility timeout: short (360 s when deployed), so failed and killed batches
   * come back within the run. Kept at least the worker timeout, as deployed (6x there): a
   * shorter one hands batches out again while they are still being worked on.
   */
  readonly visibilityTimeoutMs: number;
  /** Worker function timeout (60 s deployed); the worker keeps 5 s of it for flushing disables. */
  readonly workerTimeoutMs: number;
  readonly workerConcurrency: number;
  /** How long a worker lingers to coalesce terminations into one batch disable (deployed default 1 s). */
  readonly disableLingerMs: number;
  /** Upper bound for the worker to drain the queue after the last delivery. */
  readonly drainTimeoutMs: number;
  /** A Meeting outage while the history is sent (`CHAOS_OUTAGE=1`); none by default. */
  readonly outage?: OutageConfig;
}

export const DEFAULT_CHAOS_CONFIG: ChaosConfig = Object.freeze({
  seed: 1,
  events: 10_000,
  employees: 2_000,
  poisonEmployees: 3,
  deliverySize: 100,
  senders: 4,
  repostRate: 0.1,
  resendRate: 0.1,
  reorderRate: 0.25,
  killRate: 0.05,
  faults: Object.freeze({
    errorRate: 0.03,
    throttleRate: 0.005,
    retryAfterSeconds: 0,
    resetRate: 0.01,
    revokeRate: 0.005,
    slowRate: 0.003,
    slowMs: 1_500,
  }),
  meetingTimeoutMs: 1_000,
  visibilityTimeoutMs: 10_000,
  workerTimeoutMs: 10_000,
  workerConcurrency: 4,
  disableLingerMs: 1_000,
  drainTimeoutMs: 600_000,
});

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max).optional();
const rate = z.coerce.number().min(0).max(1).optional();

/** The CHAOS_* settings of `npm run chaos`; unset ones keep the defaults. */
const chaosEnvSchema = z.object({
  CHAOS_SEED: int(0, 2 ** 32 - 1),
  CHAOS_EVENTS: int(1, 1_000_000),
  CHAOS_EMPLOYEES: int(1, 200_000),
  CHAOS_POISON: int(0, 100),
  CHAOS_KILL_RATE: rate,
  CHAOS_REORDER_RATE: rate,
  CHAOS_RETRY_AFTER_SECONDS: int(0, 1),
  CHAOS_WORKERS: int(1, 32),
  CHAOS_VISIBILITY_MS: int(100, 60_000),
  CHAOS_DRAIN_TIMEOUT_MS: int(1_000, 3_600_000),
  CHAOS_OUTAGE: z.enum(['0', '1']).optional(),
  CHAOS_OUTAGE_MINUTES: int(1, 24 * 60),
  CHAOS_TIME_SCALE: int(1, 3_600),
});

/**
 * An outage drill is about waiting, not volume: 1,000 events by default, and no killed
 * invocations (a kill waits out the visibility timeout, which the drill does not shorten).
 */
const OUTAGE_EVENTS = 1_000;

export const chaosConfigFromEnv = (
  env: Record<string, string | undefined>,
  base: ChaosConfig = DEFAULT_CHAOS_CONFIG,
): ChaosConfig => {
  const given = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('CHAOS_') && v?.trim()),
  );
  const parsed = chaosEnvSchema.safeParse(given);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new RangeError(`invalid chaos settings: ${detail}`);
  }
  const e = parsed.data;
  const outage =
    e.CHAOS_OUTAGE === '1'
      ? Object.freeze({
          ...DEFAULT_OUTAGE,
          ...base.outage,
          ...(e.CHAOS_OUTAGE_MINUTES && { minutes: e.CHAOS_OUTAGE_MINUTES }),
          ...(e.CHAOS_TIME_SCALE && { timeScale: e.CHAOS_TIME_SCALE }),
        })
      : base.outage;
  const events = e.CHAOS_EVENTS ?? (outage && e.CHAOS_OUTAGE === '1' ? OUTAGE_EVENTS : base.events);
  return Object.freeze({
    ...base,
    seed: e.CHAOS_SEED ?? base.seed,
    events,
    // About five events per employee unless told otherwise.
    employees:
      e.CHAOS_EMPLOYEES ?? (events !== base.events ? Math.max(1, Math.round(events / 5)) : base.employees),
    poisonEmployees: e.CHAOS_POISON ?? base.poisonEmployees,
    killRate: e.CHAOS_KILL_RATE ?? (outage ? 0 : base.killRate),
    reorderRate: e.CHAOS_REORDER_RATE ?? base.reorderRate,
    faults: {
      ...base.faults,
      retryAfterSeconds: e.CHAOS_RETRY_AFTER_SECONDS ?? base.faults.retryAfterSeconds,
    },
    workerConcurrency: e.CHAOS_WORKERS ?? base.workerConcurrency,
    visibilityTimeoutMs: e.CHAOS_VISIBILITY_MS ?? base.visibilityTimeoutMs,
    drainTimeoutMs: e.CHAOS_DRAIN_TIMEOUT_MS ?? base.drainTimeoutMs,
    ...(outage && { outage }),
  });
};
