import { parseQueuedEvent } from '../events/parse-queued-event.js';
import { parseStrictJson } from '../events/strict-json.js';
import type { MessageSink } from '../queue/types.js';
import type { Lifecycle } from './create-lifecycle.js';
import { failureReason, isPermanentFailure } from './failures.js';
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
  /** Which delivery this is (SQS ApproximateReceiveCount); for the audit and the DLQ. */
  readonly receiveCount?: number;
}

/** What became of one message; the adapter maps `retry` to a batch item failure. */
export type MessageResult =
  | { readonly kind: 'ok'; readonly outcome: ApplyOutcome }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'deadLetter'; readonly reason: string };

export interface QueueWorkerDeps {
  readonly lifecycle: Lifecycle;
  /** Where a message no retry can fix goes at once, with its reason (the FIFO DLQ). */
  readonly deadLetters: MessageSink;
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
 * failure; and acknowledge a termination only once its disable was sent.
 */
export const createQueueWorker = ({ lifecycle, deadLetters }: QueueWorkerDeps) => {
  const { log, store, clock, offboarding } = lifecycle.context;

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

  const process = async (
    message: QueuedMessage,
    options: { signal?: AbortSignal } = {},
  ): Promise<MessageResult> => {
    const eventId = eventIdOf(message.body);
    try {
      const event = parseQueuedEvent(message.body, { groupId: message.groupId });
      const result = await lifecycle.applyEvent(event, {
        requestId: event.id,
        source: 'queue',
        ...delivery(message),
        ...(options.signal && { signal: options.signal }),
      });
      return { kind: 'ok', outcome: result.outcome };
    } catch (error) {
      const reason = failureReason(error);
      const context = { messageId: message.messageId, eventId, employeeId: message.groupId, reason };
      if (!isPermanentFailure(error)) {
        log.error('event failed', { ...context, error });
        await audit(message, 'failed', reason);
        return { kind: 'retry', reason };
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
        return { kind: 'retry', reason };
      }
      log.error('event dead-lettered', { ...context, error });
      await audit(message, 'dead-lettered', reason);
      return { kind: 'deadLetter', reason };
    }
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
    options: { maxHoldMs: number; signal?: AbortSignal },
  ): Promise<{ unsettled: Set<string>; flushed: number; calls: number }> => {
    try {
      const result = await lifecycle.flushPendingDisables(options);
      if (!result.incomplete) return { unsettled: new Set(), flushed: result.flushed, calls: result.calls };
      return { unsettled: await offboarding.pendingAmong(employeeIds), ...result };
    } catch (error) {
      log.error('flushing pending disables failed', { error });
      return { unsettled: await offboarding.pendingAmong(employeeIds), flushed: 0, calls: 0 };
    }
  };

  return { process, skipped, settle };
};
export type QueueWorker = ReturnType<typeof createQueueWorker>;
