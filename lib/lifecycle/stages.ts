import { hrEventSchema } from '../events/schemas.js';
import type { BreakerState, StagedAction } from '../store/types.js';
import { applyEvent } from './apply-event.js';
import { deleteApproved } from './cleanup.js';
import { StageMismatchError } from './errors.js';
import { flushPendingDisables } from './offboarding.js';
import type { ApplyResult, LifecycleContext } from './types.js';

export interface StageView {
  readonly breaker: BreakerState;
  readonly actions: StagedAction[];
}

/** What the open circuit breaker is holding back, for an operator to review. */
export const describeStage = async (
  ctx: Pick<LifecycleContext, 'offboarding'>,
): Promise<StageView | undefined> => {
  const breaker = await ctx.offboarding.getBreaker();
  return breaker ? { breaker, actions: await ctx.offboarding.listStagedActions(breaker.stageId) } : undefined;
};

/** The staged actions of `stageId`, which must be the stage the breaker holds open. */
const stagedActionsOf = async (ctx: Pick<LifecycleContext, 'offboarding'>, stageId: string) => {
  const breaker = await ctx.offboarding.getBreaker();
  if (breaker?.stageId !== stageId) {
    throw new StageMismatchError(
      `stage ${stageId} is not the open stage (${breaker?.stageId ?? 'none open'})`,
    );
  }
  return ctx.offboarding.listStagedActions(stageId);
};

/**
 * Operator approval: applies every staged disable (unless a newer status decision superseded it)
 * and delete, then closes the breaker. Each action is removed once applied, so a failed approval
 * can simply be run again.
 */
export const approveStage = async (ctx: LifecycleContext, stageId: string) => {
  const log = ctx.log;
  const actions = await stagedActionsOf(ctx, stageId);
  const disables: ApplyResult[] = [];
  for (const action of actions.filter((a) => a.kind === 'disable')) {
    const event = hrEventSchema.parse(JSON.parse(action.event ?? '{}'));
    disables.push(
      await applyEvent(ctx, event, { approved: true, ignoreEffectiveAt: true, source: 'approval' }),
    );
    await ctx.offboarding.removeStagedAction(action);
  }
  const flushed = await flushPendingDisables(ctx);
  const deletes = actions.filter((a) => a.kind === 'delete');
  const deleted = await deleteApproved(
    ctx,
    deletes.map((a) => a.employeeId),
  );
  for (const action of deletes) await ctx.offboarding.removeStagedAction(action);
  await ctx.offboarding.closeBreaker(stageId);
  log.warn('offboarding stage approved', { stageId, disables: disables.length, deleted: deleted.length });
  return { disables, flushed, deleted };
};

/** What a staged action says about its event, for the audit (a delete has none: the stage names it). */
const eventOf = (action: StagedAction) => {
  const parsed = action.event === undefined ? undefined : hrEventSchema.safeParse(JSON.parse(action.event));
  const event = parsed?.success ? parsed.data : undefined;
  return event
    ? {
        eventId: event.id,
        type: event.type,
        version: event.version,
        ...(event.effectiveAt !== undefined && { effectiveAt: event.effectiveAt }),
      }
    : { eventId: action.stageId };
};

/**
 * Operator rejection: drops every staged action and closes the breaker. Each employee's audit
 * says so (outcome `rejected`), so `npm run history` does not end in a stage that is gone.
 */
export const rejectStage = async (
  ctx: Pick<LifecycleContext, 'offboarding' | 'store' | 'clock' | 'log'>,
  stageId: string,
) => {
  const actions = await stagedActionsOf(ctx, stageId);
  for (const action of actions) {
    await ctx.offboarding.removeStagedAction(action);
    // A record of what happened, never a reason to fail the rejection (as in apply-event.ts).
    await ctx.store
      .audit({
        employeeId: action.employeeId,
        ...eventOf(action),
        at: ctx.clock.now(),
        outcome: 'rejected',
        reason: `the staged ${action.kind} was dropped: an operator rejected ${stageId}`,
        source: 'approval',
        changes: [],
      })
      .catch((error: unknown) =>
        ctx.log.warn('audit write failed', { employeeId: action.employeeId, stageId, error }),
      );
  }
  await ctx.offboarding.closeBreaker(stageId);
  ctx.log.warn('offboarding stage rejected', { stageId, dropped: actions.length });
  return { dropped: actions.length };
};
