import { ERROR_KIND, MeetingBudgetError, MeetingError } from '../http/errors.js';
import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';

/**
 * Failures that say Meeting as a whole cannot be used right now, not that this event has a
 * problem: 5xx, timeouts and refused connections after the client's retries, throttling that
 * outlasted them, refused credentials. A call not sent for lack of time says nothing.
 */
export const isMeetingUnavailable = (error: unknown): boolean =>
  error instanceof MeetingError &&
  !(error instanceof MeetingBudgetError) &&
  (error.kind === ERROR_KIND.retryable ||
    error.kind === ERROR_KIND.throttled ||
    error.kind === ERROR_KIND.auth);

/** What a failure says about Meeting: unavailable, answering (a 4xx), or nothing (not a call). */
export const meetingVerdict = (error: unknown): boolean | undefined =>
  error instanceof MeetingError && !(error instanceof MeetingBudgetError)
    ? isMeetingUnavailable(error)
    : undefined;

export interface MeetingBreaker {
  /**
   * True while events should not be tried (they go back to the queue with their delay). Once
   * the pause is over, one caller is let through to probe; the others stay paused until its
   * outcome is known or another pause has passed.
   */
  paused(): boolean;
  /**
   * The outcome of one event: `true` failed because Meeting is unavailable, `false` Meeting
   * answered, `undefined` the event said nothing about Meeting (no call made: a duplicate, a
   * malformed body). Only an answer closes the breaker; a probe that said nothing passes the
   * probe on to the next caller.
   */
  record(unavailable: boolean | undefined): void;
}

/** Consecutive unavailable events before pausing: one unlucky event (every retry failed) is chance. */
const THRESHOLD = 2;

/**
 * The worker's downstream circuit breaker, per container. During an outage every event would
 * otherwise spend the client's whole retry schedule before failing, batch after batch; paused,
 * a batch goes back to the queue at once, each event with its own growing delay, and no
 * receive is spent on a call that cannot succeed.
 */
export const createMeetingBreaker = ({
  clock,
  pauseMs,
  log,
}: {
  clock: Clock;
  pauseMs: number;
  /** Told when the breaker opens and when Meeting answers again (operators see the outage). */
  log: Pick<Log, 'warn' | 'info'>;
}): MeetingBreaker => {
  let failures = 0;
  let openUntil: number | undefined;
  const open = () => {
    if (openUntil === undefined) {
      log.warn('Meeting unavailable: circuit breaker open, events wait with their delays', {
        consecutiveFailures: failures,
        pauseMs,
      });
    }
    openUntil = clock.now() + pauseMs;
  };
  return {
    paused() {
      if (openUntil === undefined) return false;
      const now = clock.now();
      if (now < openUntil) return true;
      openUntil = now + pauseMs;
      return false;
    },
    record(unavailable) {
      if (unavailable === undefined) {
        if (openUntil !== undefined) openUntil = Math.min(openUntil, clock.now());
        return;
      }
      if (!unavailable) {
        if (openUntil !== undefined) log.info('Meeting answered: circuit breaker closed');
        failures = 0;
        openUntil = undefined;
        return;
      }
      failures++;
      if (failures >= THRESHOLD || openUntil !== undefined) open();
    },
  };
};
