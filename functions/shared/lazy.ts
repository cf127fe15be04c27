/**
 * One shared promise for cold-start work (secrets, clients), created on first use. A failure
 * is not cached: the next invocation tries again (middy's rule for fetched configuration).
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
