import type { LifecycleSettings } from '../config/lifecycle-config.js';
import type { AccountType } from '../meeting/schemas.js';
import type { MeetingClient } from '../meeting/types.js';
import type { Clock, TimeBudget } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import type { LifecycleStore, OffboardingStore } from '../store/types.js';

/** Everything the lifecycle logic needs, injected; no AWS types, no process.env. */
export interface LifecycleDeps {
  readonly meeting: MeetingClient;
  readonly store: LifecycleStore;
  /**
   * Pending-disable buffer and mass-offboarding circuit breaker. Required: terminations are
   * coalesced into batch disables and mass offboarding is staged for approval, always.
   */
  readonly offboarding: OffboardingStore;
  readonly settings: LifecycleSettings;
  /** 1 = members are addressed by HR id (thirdAccount, App ID mode); 0 = by Meeting account. */
  readonly accountType: AccountType;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: silent. */
  readonly log?: Log;
}

/** The dependencies with every default resolved once, by `createLifecycle`. */
export interface LifecycleContext extends LifecycleDeps {
  readonly clock: Clock;
  readonly log: Log;
}

export const APPLY_OUTCOME = {
  created: 'created',
  adopted: 'adopted',
  updated: 'updated',
  enabled: 'enabled',
  disabled: 'disabled',
  adminGranted: 'adminGranted',
  adminRevoked: 'adminRevoked',
  scheduled: 'scheduled',
  /** Held back by the mass-offboarding circuit breaker until an operator approves. */
  staged: 'staged',
  stale: 'stale',
  duplicate: 'duplicate',
  noop: 'noop',
} as const;
export type ApplyOutcome = (typeof APPLY_OUTCOME)[keyof typeof APPLY_OUTCOME];

/** Outcomes that are changes made in Meeting (the rest say why nothing changed). */
const CHANGE_OUTCOMES: ReadonlySet<ApplyOutcome> = new Set([
  APPLY_OUTCOME.created,
  APPLY_OUTCOME.adopted,
  APPLY_OUTCOME.updated,
  APPLY_OUTCOME.enabled,
  APPLY_OUTCOME.disabled,
  APPLY_OUTCOME.adminGranted,
  APPLY_OUTCOME.adminRevoked,
]);

/** Every change an event made in Meeting, in order (the outcome alone when it made one). */
export const changesMade = (result: Pick<ApplyResult, 'outcome' | 'changes'>): readonly ApplyOutcome[] =>
  result.changes ?? (CHANGE_OUTCOMES.has(result.outcome) ? [result.outcome] : []);

export interface ApplyResult {
  readonly eventId: string;
  readonly employeeId: string;
  /** The main effect (the first change made in Meeting), or why nothing was done. */
  readonly outcome: ApplyOutcome;
  /** Every change made in Meeting, in order (e.g. created, adminGranted). */
  readonly changes?: readonly ApplyOutcome[];
  readonly reason?: string;
  /** Meeting calls the event made (reads included); absent when it made none. */
  readonly meetingCalls?: number;
}

/** Options of the scheduled runs (due actions, cleanup): tracing, abort, the invocation's time. */
export interface RunOptions {
  readonly requestId?: string;
  readonly signal?: AbortSignal;
  /** What is left of the invocation: Meeting calls start only when they fit (CallOptions.budget). */
  readonly budget?: TimeBudget;
}

export interface ApplyOptions {
  /** Apply now even if effectiveAt is in the future (used when a scheduled action comes due). */
  readonly ignoreEffectiveAt?: boolean;
  /** Skip the circuit breaker (the operator approved this staged action). */
  readonly approved?: boolean;
  readonly requestId?: string;
  readonly signal?: AbortSignal;
  /** For the audit: what brought the event (`queue` by default, `schedule`, `approval`, `roster`). */
  readonly source?: string;
  /** For the audit: when the event reached the queue (SQS SentTimestamp), epoch ms. */
  readonly receivedAt?: number;
  /** For the audit: which delivery of the message this is (SQS ApproximateReceiveCount). */
  readonly receiveCount?: number;
  /** What is left of the invocation: Meeting calls start only when they fit (CallOptions.budget). */
  readonly budget?: TimeBudget;
}
