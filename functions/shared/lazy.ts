/**
 * One shared promise for cold-start work (config parse, clients), created on first use. A failure
 * is not cached: the next invocation tries again (middy's rule for fetched configuration). What
 * it builds re-reads its secrets itself (functions/shared/secrets.ts), so memoising it does not
 * pin a secret for the container's life.
 */
export const lazy = <T>(create: () => Promise<T>): (() => Promise<T>) => {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= create().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
};
