import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseQueuedEvent } from '../../lib/events/parse-queued-event.js';
import { applyEvent } from '../../lib/lifecycle/apply-event.js';
import { flushPendingDisables } from '../../lib/lifecycle/offboarding.js';
import type { LifecycleDeps } from '../../lib/lifecycle/types.js';
import { lazy } from '../shared/lazy.js';
import { createLifecycleRuntime } from '../shared/lifecycle-runtime.js';
import { logger, metrics } from '../shared/observability.js';
import { remainingTimeSignal } from '../shared/remaining-time.js';

export interface WorkerHooks {
  /** Called with the reason whenever a record fails (the local queue keeps it with its DLQ copy). */
  onRecordFailure?(record: SQSRecord, reason: string): void;
}

/**
 * SQS FIFO adapter: each record is one HR event. On a failure the rest of that employee's
 * group is returned too (skipGroupOnError), so per-employee order holds; other employees go on.
 */
export const createWorkerHandler = (getDeps: () => Promise<LifecycleDeps>, hooks: WorkerHooks = {}) => {
  const processor = new SqsFifoPartialProcessorAsync();
  return middy(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const deps = await getDeps();
    const signal = remainingTimeSignal(context);
    const processRecord = async (record: SQSRecord) => {
      try {
        const hrEvent = parseQueuedEvent(record.body);
        const result = await applyEvent(hrEvent, deps, { requestId: hrEvent.id, ...(signal && { signal }) });
        metrics.addMetric(`event_${result.outcome}`, MetricUnit.Count, 1);
        return result.outcome;
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        const employeeId = record.attributes.MessageGroupId ?? 'unknown';
        logger.error('event failed', { messageId: record.messageId, employeeId, reason, error });
        metrics.addMetric('event_failed', MetricUnit.Count, 1);
        hooks.onRecordFailure?.(record, reason);
        await deps.store
          .audit({ employeeId, eventId: record.messageId, at: Date.now(), outcome: 'failed', reason })
          .catch(() => undefined);
        throw error;
      }
    };
    const response = await processPartialResponse(event, processRecord, processor, {
      context,
      skipGroupOnError: true,
      throwOnFullBatchFailure: false,
    });
    try {
      // Terminations only queued their disable: send them as batch calls before returning.
      const maxHoldMs = Math.min(Math.max(context.getRemainingTimeInMillis() - 5_000, 0), 10_000);
      const { flushed, calls } = await flushPendingDisables(deps, { maxHoldMs, ...(signal && { signal }) });
      if (flushed > 0) metrics.addMetric('members_disabled', MetricUnit.Count, flushed);
      if (calls > 0) metrics.addMetric('disable_batch_calls', MetricUnit.Count, calls);
    } catch (error) {
      // The disables stay pending and the next invocation (or the schedule) sends them.
      logger.error('flushing pending disables failed', { error });
    }
    return response;
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));
};

export const handler = createWorkerHandler(lazy(() => createLifecycleRuntime(process.env, logger)));
