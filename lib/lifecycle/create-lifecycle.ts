import type { HrEvent } from '../events/schemas.js';
import { systemClock } from '../shared/clock.js';
import { silentLog } from '../shared/log.js';
import { applyDueActions } from './apply-due-actions.js';
import { applyEvent } from './apply-event.js';
import { runCleanup } from './cleanup.js';
import { type FlushOptions, flushPendingDisables } from './offboarding.js';
import { approveStage, describeStage, rejectStage } from './stages.js';
import type { ApplyOptions, LifecycleContext, LifecycleDeps, RunOptions } from './types.js';

/**
 * The lifecycle domain, bound to its dependencies with every default resolved once. This is
 * the surface the functions, the local stack and the operator commands use.
 */
export const createLifecycle = (deps: LifecycleDeps) => {
  const context: LifecycleContext = {
    ...deps,
    clock: deps.clock ?? systemClock,
    log: deps.log ?? silentLog,
  };
  return {
    context,
    applyEvent: (event: HrEvent, options?: ApplyOptions) => applyEvent(context, event, options),
    applyDueActions: (options?: RunOptions) => applyDueActions(context, options),
    runCleanup: (options?: RunOptions) => runCleanup(context, options),
    flushPendingDisables: (options?: FlushOptions) => flushPendingDisables(context, options),
    describeStage: () => describeStage(context),
    approveStage: (stageId: string) => approveStage(context, stageId),
    rejectStage: (stageId: string) => rejectStage(context, stageId),
  };
};
export type Lifecycle = ReturnType<typeof createLifecycle>;
