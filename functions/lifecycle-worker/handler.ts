import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseQueuedEvent } from '../../lib/events/parse-queued-event.js';
import { applyEvent } from '../../lib/lifecycle/apply-event.js';
import { failureReason, isPermanentFailure } from '../../lib/lifecycle/failures.js';
import { flushPendingDisables } from '../../lib/lifecycle/offboarding.js';
import type { LifecycleDeps } from '../../lib/lifecycle/types.js';
import { lazy } from '../shared/lazy.js';
import { createWorkerRuntime, type WorkerRuntime } from '../shared/lifecycle-runtime.js';
import { logger, metrics } from '../shared/observability.js';
import { remainingTimeSignal } from '../shared/remaining-time.js';

export interface WorkerHooks {
  /** Called with the reason whenever a record fails and will be retried. */
  onRecordFailure?(record: SQSRecord, reason: string): void;
}

/**
 * A termination is acknowledged only once its disable was sent: when this invocation could not
 * flush, the records of employees whose disable is still pending go back to the queue, so a
 * redelivery (a duplicate for the version guard) brings another flush.
 */
const returnUnflushed = async (deps: LifecycleDeps, event: SQSEvent, response: SQSBatchResponse) => {
  const pending = new Set((await deps.offboarding?.listPendingDisables(100_000))?.map((p) => p.employeeId));
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  for (const record of event.Records) {
    const group = record.attributes.MessageGroupId;
    if (group && pending.has(group) && !failed.has(record.messageId)) {
      response.batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
};

/** The event id of a record, if its body is readable at all (for logs and the DLQ). */
const eventIdOf = (record: SQSRecord): string | undefined => {
  try {
    const id = (JSON.parse(record.body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
};

/**
 * SQS FIFO adapter: each record is one HR event. A retryable failure returns the record and the
 * rest of that employee's group (skipGroupOnError), so per-employee order holds while other
 * employees go on; after 5 receives SQS dead-letters it. A permanent failure (malformed event,
 * account owned by someone else) is dead-lettered at once with its reason, so it cannot hold the
 * employee's later events back.
 */
export const createWorkerHandler = (getRuntime: () => Promise<WorkerRuntime>, hooks: WorkerHooks = {}) => {
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // Per invocation: the processor keeps per-batch state (one Lambda instance runs one batch at
    // a time, but the local event source runs several concurrently through one handler).
    const processor = new SqsFifoPartialProcessorAsync();
    const { deps, deadLetters } = await getRuntime();
    const signal = remainingTimeSignal(context);
    const processed = new Set<string>();
    const processRecord = async (record: SQSRecord) => {
      processed.add(record.messageId);
      const employeeId = record.attributes.MessageGroupId ?? 'unknown';
      const eventId = eventIdOf(record);
      try {
        const hrEvent = parseQueuedEvent(record.body);
        const result = await applyEvent(hrEvent, deps, { requestId: hrEvent.id, ...(signal && { signal }) });
        metrics.addMetric(`event_${result.outcome}`, MetricUnit.Count, 1);
        return result.outcome;
      } catch (error) {
        const reason = failureReason(error);
        const permanent = isPermanentFailure(error) && deadLetters !== undefined;
        logger.error(permanent ? 'event dead-lettered' : 'event failed', {
          messageId: record.messageId,
          eventId,
          employeeId,
          reason,
          error,
        });
        await deps.store
          .audit({
            employeeId,
            eventId: eventId ?? record.messageId,
            at: Date.now(),
            outcome: permanent ? 'dead-lettered' : 'failed',
            reason,
          })
          .catch(() => undefined);
        if (permanent) {
          await deadLetters.send([
            {
              body: record.body,
              groupId: employeeId,
              deduplicationId: record.attributes.MessageDeduplicationId ?? record.messageId,
              attributes: { reason, ...(eventId && { eventId }), sourceMessageId: record.messageId },
            },
          ]);
          metrics.addMetric('event_dead_lettered', MetricUnit.Count, 1);
          return 'dead-lettered';
        }
        metrics.addMetric('event_failed', MetricUnit.Count, 1);
        hooks.onRecordFailure?.(record, reason);
        throw error;
      }
    };
    const result = await processPartialResponse(event, processRecord, processor, {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
    // A copy: with no failures Powertools returns a shared module-level object.
    const response: SQSBatchResponse = { batchItemFailures: [...result.batchItemFailures] };
    for (const record of event.Records) {
      if (
        processed.has(record.messageId) ||
        !response.batchItemFailures.some((f) => f.itemIdentifier === record.messageId)
      )
        continue;
      // Returned unprocessed behind a failed event of the same employee (FIFO order).
      const reason = 'skipped: an earlier event of the same employee failed in this batch';
      logger.warn('event returned unprocessed', {
        messageId: record.messageId,
        eventId: eventIdOf(record),
        reason,
      });
      hooks.onRecordFailure?.(record, reason);
    }
    let settled = true;
    try {
      // Terminations only queued their disable: send them as batch calls before returning.
      const maxHoldMs = Math.min(Math.max(context.getRemainingTimeInMillis() - 5_000, 0), 10_000);
      const result = await flushPendingDisables(deps, { maxHoldMs, ...(signal && { signal }) });
      if (result.flushed > 0) metrics.addMetric('members_disabled', MetricUnit.Count, result.flushed);
      if (result.calls > 0) metrics.addMetric('disable_batch_calls', MetricUnit.Count, result.calls);
      settled = !result.incomplete;
    } catch (error) {
      logger.error('flushing pending disables failed', { error });
      settled = false;
    }
    if (!settled) await returnUnflushed(deps, event, response);
    return response;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
};

export const handler = createWorkerHandler(lazy(() => createWorkerRuntime(process.env, logger)));
