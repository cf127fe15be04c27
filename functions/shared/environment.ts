/**
 * The one place in lib/ and functions/ that reads the process environment: each handler passes
 * this snapshot to its runtime, which parses it once with its function's schema (lib/config).
 */
export const readEnvironment = (): Record<string, string | undefined> => ({ ...process.env });
