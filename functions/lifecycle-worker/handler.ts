import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MessageResult, QueuedMessage, QueueWorker } from '../../lib/lifecycle/queue-worker.js';
import { readEnvironment } from '../shared/environment.js';
import { lazy } from '../shared/lazy.js';
import { observabilityFor } from '../shared/observability.js';
import { invocationBudget } from '../shared/remaining-time.js';
import { createWorkerRuntime } from '../shared/worker-runtime.js';

/** Exported for the local stack, which runs the function's runtime with it as Lambda does. */
export const { logger, metrics } = observabilityFor('lifecycle-worker');

export interface WorkerHooks {
  /** Called with the reason whenever a record goes back to the queue. */
  onRecordFailure?(record: SQSRecord, reason: string): void;
}

const numberOf = (value: string | undefined) =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;

const messageOf = (record: SQSRecord): QueuedMessage => {
  const sentAt = numberOf(record.attributes.SentTimestamp);
  const receiveCount = numberOf(record.attributes.ApproximateReceiveCount);
  return {
    messageId: record.messageId,
    body: record.body,
    groupId: record.attributes.MessageGroupId ?? 'unknown',
    deduplicationId: record.attributes.MessageDeduplicationId ?? record.messageId,
    ...(sentAt !== undefined && { sentAt }),
    ...(receiveCount !== undefined && { receiveCount }),
    receiptHandle: record.receiptHandle,
  };
};

/** Kept from the invocation's time for settling up: handing messages back and answering. */
const WRAP_UP_MS = 2_000;

/**
 * SQS FIFO adapter over lib/lifecycle's queue worker: each record is one HR event. A failed
 * record returns itself and the rest of its employee's group (Powertools' skipGroupOnError), so
 * per-employee order holds while other employees go on. Meeting calls start only when they fit
 * in the invocation's remaining time; what is not done goes back with the delay the queue
 * worker chose (ChangeMessageVisibility). All policy lives in the queue worker.
 */
export const createWorkerHandler = (getWorker: () => Promise<QueueWorker>, hooks: WorkerHooks = {}) =>
  middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const worker = await getWorker();
    const budget = invocationBudget(context, WRAP_UP_MS);
    const results = new Map<string, MessageResult>();
    const result = await processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const outcome = await worker.process(messageOf(record), budget ? { budget } : {});
        results.set(record.messageId, outcome);
        metrics.addMetric(
          outcome.kind === 'ok' ? `event_${outcome.outcome}` : `event_${outcome.kind}`,
          MetricUnit.Count,
          1,
        );
        if (outcome.kind === 'ok' || outcome.kind === 'deadLetter') return outcome.kind;
        hooks.onRecordFailure?.(record, outcome.reason);
        throw new Error(outcome.reason);
      },
      // Per invocation: the processor keeps per-batch state.
      new SqsFifoPartialProcessorAsync(),
      { context, skipGroupOnError: true, throwOnFullBatchFailure: false },
    );
    const failed = new Set(result.batchItemFailures.map((f) => f.itemIdentifier));
    for (const record of event.Records) {
      if (failed.has(record.messageId) && !results.has(record.messageId)) {
        hooks.onRecordFailure?.(record, worker.skipped(messageOf(record)));
      }
    }
    const maxHoldMs = Math.min(Math.max(context.getRemainingTimeInMillis() - 5_000, 0), 10_000);
    const groups = event.Records.map((r) => messageOf(r).groupId);
    const settled = await worker.settle(groups, { maxHoldMs, ...(budget && { budget }) });
    if (settled.flushed > 0) metrics.addMetric('members_disabled', MetricUnit.Count, settled.flushed);
    if (settled.calls > 0) metrics.addMetric('disable_batch_calls', MetricUnit.Count, settled.calls);
    for (const record of event.Records) {
      if (settled.unsettled.has(messageOf(record).groupId)) failed.add(record.messageId);
    }
    await worker.release(
      event.Records.filter((r) => failed.has(r.messageId)).map((r) => ({
        message: messageOf(r),
        result: results.get(r.messageId),
      })),
      settled.unsettled,
    );
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  })
    // Never log the batch (POWERTOOLS_LOGGER_LOG_EVENT notwithstanding): events carry personal data.
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(logMetrics(metrics));

export const handler = createWorkerHandler(lazy(() => createWorkerRuntime(readEnvironment(), logger)));
