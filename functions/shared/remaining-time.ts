/** Minimal view of the Lambda context that the adapters need (the local runtime provides it too). */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
  readonly awsRequestId?: string;
}

/** Aborts outbound calls shortly before the function would be killed, so state stays consistent. */
export const remainingTimeSignal = (
  context: InvocationContext | undefined,
  marginMs = 2_000,
): AbortSignal | undefined => {
  const remaining = context?.getRemainingTimeInMillis?.();
  return remaining === undefined || !Number.isFinite(remaining)
    ? undefined
    : AbortSignal.timeout(Math.max(remaining - marginMs, 1));
};
