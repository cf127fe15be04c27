import { hrEventSchema } from '../events/schemas.js';
import { systemClock } from '../shared/clock.js';
import { silentLog } from '../shared/log.js';
import { applyEvent } from './apply-event.js';
import type { ApplyResult, LifecycleDeps } from './types.js';

export interface DueActionsReport {
  readonly applied: ApplyResult[];
  readonly failed: { eventId: string; employeeId: string; error: string }[];
}

/**
 * Applies effective-dated events whose time has come, oldest first. A failed action stays
 * scheduled (retried next run); one failure does not hold up the others.
 */
export const applyDueActions = async (
  deps: LifecycleDeps,
  options: { signal?: AbortSignal } = {},
): Promise<DueActionsReport> => {
  const log = deps.log ?? silentLog;
  const now = (deps.clock ?? systemClock).now();
  const due = [...(await deps.store.listDueActions(now))].sort((a, b) => a.dueAt - b.dueAt);
  const applied: ApplyResult[] = [];
  const failed: DueActionsReport['failed'] = [];
  for (const action of due) {
    options.signal?.throwIfAborted();
    try {
      const event = hrEventSchema.parse(JSON.parse(action.event));
      applied.push(
        await applyEvent(event, deps, { ignoreEffectiveAt: true, requestId: event.id, ...options }),
      );
      await deps.store.completeAction(action);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error('due action failed', { eventId: action.eventId, employeeId: action.employeeId, error });
      failed.push({ eventId: action.eventId, employeeId: action.employeeId, error: message });
    }
  }
  return { applied, failed };
};
