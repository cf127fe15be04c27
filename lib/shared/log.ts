/**
 * The logging surface lib/ depends on. Powertools' Logger satisfies it. lib/ never creates a
 * logger of its own.
 */
export interface Log {
  debug(message: string, ...extra: Record<string, unknown>[]): void;
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
}

const noop = () => {};

export const silentLog: Log = { debug: noop, info: noop, warn: noop, error: noop };
