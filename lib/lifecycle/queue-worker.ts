import { parseQueuedEvent } from '../events/parse-queued-event.js';
import { parseStrictJson } from '../events/strict-json.js';
import { MeetingBudgetError } from '../http/errors.js';
import { ATTEMPT_MARGIN_MS, MIN_ATTEMPT_TIMEOUT_MS } from '../meeting/caller.js';
import { REDELIVERY, type RedeliveryPolicy, redeliveryDelayMs } from '../queue/redelivery.js';
import type { MessageSink, MessageVisibility, VisibilityChange } from '../queue/types.js';
import type { TimeBudget } from '../shared/clock.js';
import type { Lifecycle } from './create-lifecycle.js';
import { failureReason, isPermanentFailure } from './failures.js';
import { createMeetingBreaker, meetingVerdict } from './meeting-breaker.js';
import type { ApplyOutcome } from './types.js';

/** One queue message, as any queue adapter (SQS, the local FIFO queue) sees it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  /** FIFO message group: the HR employee id. */
  readonly groupId: string;
  readonly deduplicationId: string;
  /** When the message reached the queue (SQS SentTimestamp), epoch ms; for the audit. */
  readonly sentAt?: number;
  /**
   * Which delivery this is, this one included (SQS ApproximateReceiveCount): for the audit, the
   * DLQ, and the delay before the next.
   */
  readonly receiveCount?: number;
  /** The handle of this delivery, to hand the message back with a delay. */
  readonly receiptHandle: string;
}

/**
 * What became of one message. The adapter maps `retry` and `deferred` to batch item failures;
 * `retryInMs` is when the message comes back (`release`).
 */
export type MessageResult =
  | { readonly kind: 'ok'; readonly outcome: ApplyOutcome }
  /** Tried and failed for a reason a later attempt may not have: back after a growing delay. */
  | { readonly kind: 'retry'; readonly reason: string; readonly retryInMs: number }
  /** Not tried (Meeting unavailable, or the invocation out of time). */
  | { readonly kind: 'deferred'; readonly reason: string; readonly retryInMs: number }
  | { readonly kind: 'deadLetter'; readonly reason: string };

export interface QueueWorkerDeps {
  readonly lifecycle: Lifecycle;
  /** Where a message no retry can fix goes at once, with its reason (the FIFO DLQ). */
  readonly deadLetters: MessageSink;
  /**
   * Hands failed and deferred messages back with their own delay. Required: without it each
   * would wait out the queue's visibility timeout, and an outage would spend a receive per
   * visibility timeout until the messages are dead-lettered.
   */
  readonly visibility: MessageVisibility;
  /** Delays and the circuit breaker's pause; default REDELIVERY (shortened in outage drills). */
  readonly redelivery?: RedeliveryPolicy;
  /** [0, 1) for the delays' jitter. */
  readonly random?: () => number;
}

export interface ProcessOptions {
  /**
   * What is left of the invocation (minus what the adapter keeps for wrapping up); one object
   * per invocation. Meeting calls start only when they fit; after the first that did not, no
   * further event is started with this budget, and those events go back: at once if earlier
   * events used the time, else after a growing delay (outOfTimeDelay).
   */
  readonly budget?: TimeBudget;
}

export interface SettleResult {
  /** Employees whose disable still waits: their messages go back to the queue. */
  readonly unsettled: Set<string>;
  readonly flushed: number;
  readonly calls: number;
}

/** What can be read of a message's event even if it is invalid (for logs, audit and the DLQ). */
const summaryOf = (body: string): { id?: string; type?: string; version?: number; effectiveAt?: string } => {
  const json = parseStrictJson(body);
  const value = json.ok && typeof json.value === 'object' && json.value !== null ? json.value : {};
  const { id, type, version, effectiveAt } = value as Record<string, unknown>;
  // A malformed body's fields are unchecked: only plausible ones go into logs, audit and DLQ attributes.
  const text = (x: unknown, max: number) =>
    typeof x === 'string' && x.length <= max && /^[\x20-\x7e]*$/.test(x) ? x : undefined;
  const plausibleId = typeof id === 'string' && /^[\x21-\x7e]{1,128}$/.test(id) ? id : undefined;
  const plausibleType = text(type, 64);
  const plausibleEffectiveAt = text(effectiveAt, 64);
  return {
    ...(plausibleId !== undefined && { id: plausibleId }),
    ...(plausibleType !== undefined && { type: plausibleType }),
    ...(typeof version === 'number' && Number.isSafeInteger(version) && { version }),
    ...(plausibleEffectiveAt !== undefined && { effectiveAt: plausibleEffectiveAt }),
  };
};
const eventIdOf = (body: string): string | undefined => summaryOf(body).id;

const delivery = (message: QueuedMessage) => ({
  ...(message.sentAt !== undefined && { receivedAt: message.sentAt }),
  ...(message.receiveCount !== undefined && { receiveCount: message.receiveCount }),
});

/**
 * The worker's policy, independent of how messages arrive: apply each event; dead-letter at
 * once what no retry can fix (so it never holds back the employee's later events); audit every
 * failure; acknowledge a termination only once its disable was sent; and hand back what is not
 * done with a delay that fits why (docs/design.md "Faults, outages and pacing"): at once when
 * earlier events used the invocation's time, after a growing delay when it failed, Meeting is
 * down, or the invocation could do nothing at all in its time.
 */
export const createQueueWorker = ({
  lifecycle,
  deadLetters,
  visibility,
  redelivery = REDELIVERY,
  random = Math.random,
}: QueueWorkerDeps) => {
  const { log, store, clock, offboarding } = lifecycle.context;
  const breaker = createMeetingBreaker({ clock, pauseMs: redelivery.pauseMs, log });
  /** Budgets (invocations) in which a Meeting call no longer fitted: start nothing more. */
  const exhausted = new WeakSet<TimeBudget>();
  /** Budgets in which an event was tried or finished (not merely handed back). */
  const progressed = new WeakSet<TimeBudget>();
  /** What each budget had left when its first event started (for the configuration warning). */
  const startedWith = new WeakMap<TimeBudget, number>();
  const backoff = (message: QueuedMessage) =>
    redeliveryDelayMs(message.receiveCount ?? 1, random, redelivery);

  const audit = (message: QueuedMessage, outcome: string, reason: string) => {
    const { id, ...event } = summaryOf(message.body);
    return (
      store
        .audit({
          employeeId: message.groupId,
          eventId: id ?? message.messageId,
          ...event,
          ...delivery(message),
          source: 'queue',
          at: clock.now(),
          outcome,
          reason,
        })
        // The audit is a record of what happened, never a reason to fail the event.
        .catch((error: unknown) => log.warn('audit write failed', { messageId: message.messageId, error }))
    );
  };

  /**
   * When an event not done for lack of time comes back. At once if earlier events of this
   * invocation used the time: the next invocation starts afresh. Otherwise the invocation did
   * nothing at all with its time, and the next may fare no better (too short a function timeout,
   * a rate limit that ate it): the growing delay of a failure, so such a loop spends receives
   * at the pace of an outage, not 50 in a second.
   */
  const outOfTimeDelay = (message: QueuedMessage, budget: TimeBudget | undefined) =>
    budget && progressed.has(budget) ? 0 : backoff(message);

  const attempt = async (message: QueuedMessage, options: ProcessOptions): Promise<MessageResult> => {
    const { budget } = options;
    if (budget && exhausted.has(budget)) {
      return {
        kind: 'deferred',
        reason: 'not started: the invocation is out of time',
        retryInMs: outOfTimeDelay(message, budget),
      };
    }
    if (breaker.paused()) {
      return {
        kind: 'deferred',
        reason: 'not started: Meeting is unavailable (circuit breaker open)',
        retryInMs: backoff(message),
      };
    }
    const eventId = eventIdOf(message.body);
    try {
      const event = parseQueuedEvent(message.body, { groupId: message.groupId });
      const result = await lifecycle.applyEvent(event, {
        requestId: event.id,
        source: 'queue',
        ...delivery(message),
        ...(budget && { budget }),
      });
      breaker.record(result.meetingCalls ? false : undefined);
      return { kind: 'ok', outcome: result.outcome };
    } catch (error) {
      const reason = failureReason(error);
      const context = { messageId: message.messageId, eventId, employeeId: message.groupId, reason };
      if (error instanceof MeetingBudgetError) {
        // Nothing in flight was cut off (lib/meeting/caller.ts): the event is simply not done.
        if (budget) exhausted.add(budget);
        const retryInMs = outOfTimeDelay(message, budget);
        const startMs = budget && startedWith.get(budget);
        if (retryInMs === 0) log.info('event returned: the invocation is out of time', context);
        else if (startMs !== undefined && error.neededMs !== undefined && startMs < error.neededMs) {
          log.warn(
            `configuration: the worker's invocations leave ${Math.round(startMs)} ms for Meeting calls, less than the ${error.neededMs} ms one attempt needs (MEETING_TIMEOUT_MS, cut to no less than ${MIN_ATTEMPT_TIMEOUT_MS} ms, + ${ATTEMPT_MARGIN_MS} ms): raise the worker function's timeout; events go back with a growing delay`,
            context,
          );
        } else
          log.info(
            'event returned after a growing delay: the invocation ran out of time before any work',
            context,
          );
        return { kind: 'deferred', reason, retryInMs };
      }
      breaker.record(meetingVerdict(error));
      if (!isPermanentFailure(error)) {
        log.error('event failed', { ...context, error });
        await audit(message, 'failed', reason);
        return { kind: 'retry', reason, retryInMs: backoff(message) };
      }
      try {
        await deadLetters.send([
          {
            body: message.body,
            groupId: message.groupId,
            deduplicationId: message.deduplicationId,
            attributes: {
              reason,
              ...(eventId && { eventId }),
              sourceMessageId: message.messageId,
              ...(message.receiveCount !== undefined && { receiveCount: String(message.receiveCount) }),
            },
          },
        ]);
      } catch (sendError) {
        // Nothing is lost: the message stays on the queue and comes back after the visibility timeout.
        log.error('event could not be dead-lettered; it stays on the queue', {
          ...context,
          error: sendError,
        });
        await audit(message, 'failed', reason);
        return { kind: 'retry', reason, retryInMs: backoff(message) };
      }
      log.error('event dead-lettered', { ...context, error });
      await audit(message, 'dead-lettered', reason);
      return { kind: 'deadLetter', reason };
    }
  };

  const process = async (message: QueuedMessage, options: ProcessOptions = {}): Promise<MessageResult> => {
    const { budget } = options;
    if (budget && !startedWith.has(budget)) startedWith.set(budget, budget.remainingMs());
    const result = await attempt(message, options);
    // Tried (applied, failed, dead-lettered): this invocation's time went into work.
    if (budget && result.kind !== 'deferred') progressed.add(budget);
    return result;
  };

  /** A message returned unprocessed behind a failed event of the same employee (FIFO order). */
  const skipped = (message: QueuedMessage): string => {
    const reason = 'skipped: an earlier event of the same employee failed in this batch';
    log.warn('event returned unprocessed', {
      messageId: message.messageId,
      eventId: eventIdOf(message.body),
      reason,
    });
    return reason;
  };

  /**
   * Terminations only queued their disable: sends the buffer as batch calls, and returns the
   * employees (of `employeeIds`) whose disable is still waiting, whose messages must then go
   * back to the queue so that a redelivery brings another flush.
   */
  const settle = async (
    employeeIds: readonly string[],
    options: { maxHoldMs: number; budget?: TimeBudget },
  ): Promise<SettleResult> => {
    // Meeting is known to be down: the disables wait (the events come back, as does the schedule).
    if (breaker.paused())
      return { unsettled: await offboarding.pendingAmong(employeeIds), flushed: 0, calls: 0 };
    try {
      const result = await lifecycle.flushPendingDisables(options);
      if (!result.incomplete) return { unsettled: new Set(), flushed: result.flushed, calls: result.calls };
      return { unsettled: await offboarding.pendingAmong(employeeIds), ...result };
    } catch (error) {
      breaker.record(meetingVerdict(error));
      log.error('flushing pending disables failed', { error });
      return { unsettled: await offboarding.pendingAmong(employeeIds), flushed: 0, calls: 0 };
    }
  };

  /**
   * Hands every message that is not done back to the queue with its delay: a failed or deferred
   * one with its own; one skipped behind a failure of its employee with that failure's (it
   * cannot go before it anyway); a termination whose disable still waits after its own growing
   * delay. A change the queue refuses leaves the message to its visibility timeout: nothing is
   * lost, it only comes back later.
   */
  const release = async (
    batch: readonly { readonly message: QueuedMessage; readonly result?: MessageResult }[],
    unsettled: ReadonlySet<string> = new Set(),
  ): Promise<VisibilityChange[]> => {
    const groupDelay = new Map<string, number>();
    for (const { message, result } of batch) {
      if (result?.kind !== 'retry' && result?.kind !== 'deferred') continue;
      groupDelay.set(message.groupId, Math.max(groupDelay.get(message.groupId) ?? 0, result.retryInMs));
    }
    const delayOf = (message: QueuedMessage, result: MessageResult | undefined) => {
      if (result?.kind === 'retry' || result?.kind === 'deferred') return result.retryInMs;
      // Not processed: skipped behind a failure of its employee (or the batch never got to it).
      if (result === undefined) return groupDelay.get(message.groupId) ?? backoff(message);
      if (result.kind === 'ok' && unsettled.has(message.groupId)) return backoff(message);
      return undefined;
    };
    const changes: VisibilityChange[] = [];
    for (const { message, result } of batch) {
      const delayMs = delayOf(message, result);
      if (delayMs !== undefined) changes.push({ receiptHandle: message.receiptHandle, delayMs });
    }
    if (changes.length === 0) return changes;
    try {
      await visibility.setVisibility(changes);
    } catch (error) {
      log.warn('messages could not be handed back early; they return after the visibility timeout', {
        messages: changes.length,
        error,
      });
    }
    return changes;
  };

  /**
   * Everything after a batch's messages were processed: reports the ones returned unprocessed
   * behind a failed event of their employee, settles the terminations (a message whose disable
   * is still pending goes back), hands the returned messages back with their delays, and says
   * which messages to report as failures.
   */
  const finishBatch = async (
    batch: readonly QueuedMessage[],
    outcome: {
      /** Messages the batch processor reports failed (its own and the ones skipped behind them). */
      readonly failed: ReadonlySet<string>;
      readonly results: ReadonlyMap<string, MessageResult>;
    },
    options: {
      maxHoldMs: number;
      budget?: TimeBudget;
      onReturned?: (message: QueuedMessage, reason: string) => void;
    },
  ): Promise<{ failed: Set<string>; flushed: number; calls: number }> => {
    const failed = new Set(outcome.failed);
    for (const message of batch) {
      if (failed.has(message.messageId) && !outcome.results.has(message.messageId)) {
        options.onReturned?.(message, skipped(message));
      }
    }
    const settled = await settle(
      batch.map((m) => m.groupId),
      { maxHoldMs: options.maxHoldMs, ...(options.budget && { budget: options.budget }) },
    );
    for (const message of batch) if (settled.unsettled.has(message.groupId)) failed.add(message.messageId);
    await release(
      batch
        .filter((m) => failed.has(m.messageId))
        .map((message) => ({ message, result: outcome.results.get(message.messageId) })),
      settled.unsettled,
    );
    return { failed, flushed: settled.flushed, calls: settled.calls };
  };

  return { process, skipped, settle, release, finishBatch };
};
export type QueueWorker = ReturnType<typeof createQueueWorker>;
