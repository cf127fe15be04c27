import { z } from 'zod';

/**
 * Logging settings of every function and the local stack (README.md "Configuration"). One rule
 * for stack traces everywhere, the CLI's too (scripts/cli.ts): only with `DEBUG=1` (or `true`,
 * `yes`). Parsed leniently, unlike the other settings: `DEBUG` is also the `debug` package's
 * namespace list (e.g. `DEBUG=express:*`), which must neither stop a function nor turn stacks on.
 */
export interface LoggingConfig {
  /** Error logs carry `stack` (their own and their causes'); otherwise name, message and cause only. */
  readonly stackTraces: boolean;
}

const DEBUG_ON: ReadonlySet<string> = new Set(['1', 'true', 'yes']);

export const parseLoggingConfig = (env: Record<string, string | undefined>): LoggingConfig => ({
  stackTraces: DEBUG_ON.has((env.DEBUG ?? '').trim().toLowerCase()),
});

/** Powertools' log levels (any case); an unknown one is a configuration error, not silently INFO. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;

const logLevel = () =>
  z
    .string()
    .transform((value) => value.trim().toUpperCase())
    .pipe(z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(' ')} (any case)` }));

/** The log level settings (`POWERTOOLS_LOG_LEVEL`, or `LOG_LEVEL` as the deploy names it). */
export const logLevelShape = () => ({
  POWERTOOLS_LOG_LEVEL: logLevel().optional(),
  LOG_LEVEL: logLevel().optional(),
});
