import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MessageResult, QueueWorker } from '../../lib/lifecycle/queue-worker.js';
import { readEnvironment } from '../shared/environment.js';
import { lazy } from '../shared/lazy.js';
import { observabilityFor } from '../shared/observability.js';
import { invocationBudget } from '../shared/remaining-time.js';
import { messageOf } from '../shared/sqs-message.js';
import { createWorkerRuntime } from '../shared/worker-runtime.js';

/** Exported for the local stack, which runs the function's runtime with it as Lambda does. */
export const { logger, metrics } = observabilityFor('lifecycle-worker');

export interface WorkerHooks {
  /** Called with the reason whenever a record goes back to the queue. */
  onRecordFailure?(record: SQSRecord, reason: string): void;
}

/** Kept from the invocation's time for settling up: handing messages back and answering. */
export const WRAP_UP_MS = 2_000;

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
    const batch = event.Records.map(messageOf);
    const records = new Map(event.Records.map((r) => [r.messageId, r]));
    const { failed, flushed, calls } = await worker.finishBatch(
      batch,
      { failed: new Set(result.batchItemFailures.map((f) => f.itemIdentifier)), results },
      {
        maxHoldMs: Math.min(Math.max(context.getRemainingTimeInMillis() - 5_000, 0), 10_000),
        ...(budget && { budget }),
        onReturned: (message, reason) => hooks.onRecordFailure?.(records.get(message.messageId)!, reason),
      },
    );
    if (flushed > 0) metrics.addMetric('members_disabled', MetricUnit.Count, flushed);
    if (calls > 0) metrics.addMetric('disable_batch_calls', MetricUnit.Count, calls);
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  })
    // Never log the batch (POWERTOOLS_LOGGER_LOG_EVENT notwithstanding): events carry personal data.
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(logMetrics(metrics));

export const handler = createWorkerHandler(lazy(() => createWorkerRuntime(readEnvironment(), logger)));
