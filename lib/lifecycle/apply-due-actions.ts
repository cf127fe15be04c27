import { hrEventSchema } from '../events/schemas.js';
import { applyEvent } from './apply-event.js';
import { failureReason } from './failures.js';
import type { ApplyResult, LifecycleContext, RunOptions } from './types.js';

export interface DueActionsReport {
  readonly applied: ApplyResult[];
  readonly failed: { eventId: string; employeeId: string; error: string }[];
}

/**
 * Applies effective-dated events whose time has come, oldest first. A failed action stays
 * scheduled (retried next run); one failure does not hold up the others. A due event changes
 * only the aspects for which it is still the newest word (per-aspect versions).
 */
export const applyDueActions = async (
  ctx: LifecycleContext,
  options: RunOptions = {},
): Promise<DueActionsReport> => {
  const due = [...(await ctx.store.listDueActions(ctx.clock.now()))].sort((a, b) => a.dueAt - b.dueAt);
  const applied: ApplyResult[] = [];
  const failed: DueActionsReport['failed'] = [];
  for (const action of due) {
    options.signal?.throwIfAborted();
    try {
      const event = hrEventSchema.parse(JSON.parse(action.event));
      applied.push(
        await applyEvent(ctx, event, {
          ignoreEffectiveAt: true,
          requestId: event.id,
          source: 'schedule',
          ...options,
        }),
      );
      await ctx.store.completeAction(action);
    } catch (error) {
      const reason = failureReason(error);
      ctx.log.error('due action failed', { eventId: action.eventId, employeeId: action.employeeId, error });
      failed.push({ eventId: action.eventId, employeeId: action.employeeId, error: reason });
      await ctx.store
        .audit({
          employeeId: action.employeeId,
          eventId: action.eventId,
          at: ctx.clock.now(),
          outcome: 'failed',
          reason: `${reason} (stays scheduled; retried by the next run)`,
          source: 'schedule',
        })
        .catch((auditError: unknown) => ctx.log.warn('audit write failed', { error: auditError }));
    }
  }
  return { applied, failed };
};
