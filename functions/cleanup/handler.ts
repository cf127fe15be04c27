import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { CleanupReport } from '../../lib/lifecycle/cleanup.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import type { RunOptions } from '../../lib/lifecycle/types.js';
import { readEnvironment } from '../shared/environment.js';
import { lazy } from '../shared/lazy.js';
import { createLifecycleRuntime } from '../shared/lifecycle-runtime.js';
import { observabilityFor } from '../shared/observability.js';
import { invocationBudget } from '../shared/remaining-time.js';

/** Exported for the local stack, which runs the function's runtime with it as Lambda does. */
export const { logger, metrics } = observabilityFor('cleanup');

/** The one-minute schedule's input: only send pending disables (backstop for the workers). */
export interface FlushTask {
  readonly task: 'flush-disables';
}

const flushOnly = async (lifecycle: Lifecycle, options: RunOptions) => {
  const flushed = await lifecycle.flushPendingDisables(options);
  // Always published, zero included: a run that sent nothing is a data point, not a gap.
  metrics.addMetric('members_disabled', MetricUnit.Count, flushed.flushed);
  return { flushed };
};

/** What a cleanup run did; nothing for a run that found another holding the lease. */
const cleanupMetrics = (cleanup: CleanupReport) => {
  if (cleanup.overlapped) return;
  // A gauge, so OffboardingAwaitingApprovalAlarm stays on for as long as a stage waits.
  metrics.addMetric('offboarding_awaiting_approval', MetricUnit.Count, cleanup.awaitingApproval ? 1 : 0);
  metrics.addMetric('members_deleted', MetricUnit.Count, cleanup.deleted.length);
  if (!cleanup.guard.allowed) metrics.addMetric('deletion_guard_tripped', MetricUnit.Count, 1);
  if (cleanup.stageId) metrics.addMetric('offboarding_staged', MetricUnit.Count, cleanup.wouldDelete.length);
};

/** Due effective-dated events, leftover disables, then deletions past retention. */
const scheduledCleanup = async (lifecycle: Lifecycle, options: RunOptions) => {
  const due = await lifecycle.applyDueActions(options);
  const { flushed } = await flushOnly(lifecycle, options);
  const cleanup = await lifecycle.runCleanup(options);
  metrics.addMetric('due_applied', MetricUnit.Count, due.applied.length);
  metrics.addMetric('due_failed', MetricUnit.Count, due.failed.length);
  cleanupMetrics(cleanup);
  return { due: { applied: due.applied.length, failed: due.failed }, flushed, cleanup };
};
export type CleanupRunResult = Awaited<ReturnType<typeof scheduledCleanup>>;

/** Schedule adapter: the 15-minute cleanup run, or the 1-minute disable flush. */
export const createCleanupHandler = (getLifecycle: () => Promise<Lifecycle>) =>
  middy(async (event: ScheduledEvent | FlushTask, context: Context) => {
    const lifecycle = await getLifecycle();
    const budget = invocationBudget(context);
    if ('task' in event && event.task === 'flush-disables')
      return flushOnly(lifecycle, budget ? { budget } : {});
    return scheduledCleanup(lifecycle, {
      ...('id' in event && { requestId: event.id }),
      ...(budget && { budget }),
    });
  })
    .use(injectLambdaContext(logger, { logEvent: false }))
    .use(logMetrics(metrics));

export const handler = createCleanupHandler(lazy(() => createLifecycleRuntime(readEnvironment(), logger)));
