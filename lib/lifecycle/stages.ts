import { hrEventSchema } from '../events/schemas.js';
import { silentLog } from '../shared/log.js';
import type { BreakerState, OffboardingStore, StagedAction } from '../store/types.js';
import { applyEvent } from './apply-event.js';
import { deleteApproved } from './cleanup.js';
import { flushPendingDisables } from './offboarding.js';
import type { ApplyResult, LifecycleDeps } from './types.js';

const storeOf = (deps: LifecycleDeps): OffboardingStore => {
  if (!deps.offboarding) throw new TypeError('offboarding store is not configured');
  return deps.offboarding;
};

export interface StageView {
  readonly breaker: BreakerState;
  readonly actions: StagedAction[];
}

/** What the open circuit breaker is holding back, for an operator to review. */
export const describeStage = async (deps: LifecycleDeps): Promise<StageView | undefined> => {
  const breaker = await storeOf(deps).getBreaker();
  return breaker ? { breaker, actions: await storeOf(deps).listStagedActions(breaker.stageId) } : undefined;
};

export class StageMismatchError extends Error {
  override readonly name = 'StageMismatchError';
}

const openStage = async (deps: LifecycleDeps, stageId: string) => {
  const breaker = await storeOf(deps).getBreaker();
  if (breaker?.stageId !== stageId) {
    throw new StageMismatchError(
      `stage ${stageId} is not the open stage (${breaker?.stageId ?? 'none open'})`,
    );
  }
  return storeOf(deps).listStagedActions(stageId);
};

/**
 * Operator approval: applies every staged disable (unless a newer status decision superseded it)
 * and delete, then closes the breaker. Each action is removed once applied, so a failed approval
 * can simply be run again.
 */
export const approveStage = async (deps: LifecycleDeps, stageId: string) => {
  const log = deps.log ?? silentLog;
  const actions = await openStage(deps, stageId);
  const disables: ApplyResult[] = [];
  for (const action of actions.filter((a) => a.kind === 'disable')) {
    const event = hrEventSchema.parse(JSON.parse(action.event ?? '{}'));
    disables.push(await applyEvent(event, deps, { approved: true, ignoreEffectiveAt: true }));
    await storeOf(deps).removeStagedAction(action);
  }
  const flushed = await flushPendingDisables(deps);
  const deletes = actions.filter((a) => a.kind === 'delete');
  const deleted = await deleteApproved(
    deps,
    deletes.map((a) => a.employeeId),
  );
  for (const action of deletes) await storeOf(deps).removeStagedAction(action);
  await storeOf(deps).closeBreaker(stageId);
  log.warn('offboarding stage approved', { stageId, disables: disables.length, deleted: deleted.length });
  return { disables, flushed, deleted };
};

/** Operator rejection: drops every staged action and closes the breaker. */
export const rejectStage = async (deps: LifecycleDeps, stageId: string) => {
  const actions = await openStage(deps, stageId);
  for (const action of actions) await storeOf(deps).removeStagedAction(action);
  await storeOf(deps).closeBreaker(stageId);
  (deps.log ?? silentLog).warn('offboarding stage rejected', { stageId, dropped: actions.length });
  return { dropped: actions.length };
};
