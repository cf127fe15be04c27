import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { applyDueActions } from '../../lib/lifecycle/apply-due-actions.js';
import { runCleanup } from '../../lib/lifecycle/cleanup.js';
import { flushPendingDisables } from '../../lib/lifecycle/offboarding.js';
import type { LifecycleDeps } from '../../lib/lifecycle/types.js';
import { lazy } from '../shared/lazy.js';
import { createLifecycleRuntime } from '../shared/lifecycle-runtime.js';
import { logger, metrics } from '../shared/observability.js';
import { remainingTimeSignal } from '../shared/remaining-time.js';

/** Schedule adapter: apply due effective-dated events, then delete members past retention. */
export const createCleanupHandler = (getDeps: () => Promise<LifecycleDeps>) =>
  middy(async (event: ScheduledEvent, context: Context) => {
    const deps = await getDeps();
    const signal = remainingTimeSignal(context);
    const options = { requestId: event.id, ...(signal && { signal }) };
    const due = await applyDueActions(deps, options);
    // Backstop for disables a worker left pending (e.g. it was killed mid-flush).
    const flushed = await flushPendingDisables(deps, options);
    const cleanup = await runCleanup(deps, options);
    metrics.addMetric('due_applied', MetricUnit.Count, due.applied.length);
    metrics.addMetric('due_failed', MetricUnit.Count, due.failed.length);
    metrics.addMetric('members_deleted', MetricUnit.Count, cleanup.deleted.length);
    if (!cleanup.guard.allowed) metrics.addMetric('deletion_guard_tripped', MetricUnit.Count, 1);
    if (cleanup.stageId)
      metrics.addMetric('offboarding_staged', MetricUnit.Count, cleanup.wouldDelete.length);
    return {
      due: { applied: due.applied.length, failed: due.failed },
      flushed,
      cleanup,
    };
  })
    .use(injectLambdaContext(logger))
    .use(logMetrics(metrics));

export const handler = createCleanupHandler(lazy(() => createLifecycleRuntime(process.env, logger)));
