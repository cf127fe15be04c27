import type { TimeBudget } from '../../lib/shared/clock.js';

/** Minimal view of the Lambda context that the adapters need (the local runtime provides it too). */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
}

/**
 * What is left of the invocation, minus `reserveMs` kept for wrapping up (handing messages
 * back, answering). Meeting calls start only when their whole timeout fits in it, so nothing
 * in flight is cut off at the deadline (lib/meeting CallOptions.budget). Undefined when the
 * context says nothing (a plain local call).
 */
export const invocationBudget = (
  context: InvocationContext | undefined,
  reserveMs = 2_000,
): TimeBudget | undefined => {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (!context || remaining === undefined || !Number.isFinite(remaining)) return undefined;
  return { remainingMs: () => context.getRemainingTimeInMillis() - reserveMs };
};
