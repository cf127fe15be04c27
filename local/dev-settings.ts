import { z } from 'zod';
import { logLevelShape, parseSettings } from '../lib/config/index.js';

/**
 * The settings of the local commands themselves (README.md "Configuration", Runtime), checked
 * like the functions' settings: one ConfigError line naming each bad one, an empty value unset.
 */
const devShape = () => ({
  ...logLevelShape(),
  /** 0: any free port. */
  PORT: z.coerce
    .number({ error: 'expected a port number (0-65535)' })
    .int('expected a port number (0-65535)')
    .min(0, 'expected a port number (0-65535)')
    .max(65_535, 'expected a port number (0-65535)')
    .default(3000),
  // setInterval's ceiling is ~24.8 days; a day is plenty for a local run.
  CLEANUP_INTERVAL_SECONDS: z.coerce
    .number({ error: 'expected a whole number of seconds (1-86400)' })
    .int('expected a whole number of seconds (1-86400)')
    .min(1, 'expected a whole number of seconds (1-86400)')
    .max(86_400, 'expected a whole number of seconds (1-86400)')
    .default(60),
});

export interface DevSettings {
  /** The log level given (POWERTOOLS_LOG_LEVEL first), if any. */
  readonly logLevel?: string;
  readonly port: number;
  readonly cleanupIntervalSeconds: number;
}

/** Checks the local commands' settings; `npm run dev` uses all of them, others the log level. */
export const parseDevSettings = (env: Record<string, string | undefined>): DevSettings =>
  parseSettings(
    z.object(devShape()).transform(
      (e): DevSettings =>
        Object.freeze({
          ...((e.POWERTOOLS_LOG_LEVEL ?? e.LOG_LEVEL) && { logLevel: e.POWERTOOLS_LOG_LEVEL ?? e.LOG_LEVEL }),
          port: e.PORT,
          cleanupIntervalSeconds: e.CLEANUP_INTERVAL_SECONDS,
        }),
    ),
    env,
  );

/** The log level alone (`npm start`, `npm run chaos`: they take no port). */
export const parseLogLevel = (env: Record<string, string | undefined>): string | undefined => {
  const e = parseSettings(z.object(logLevelShape()), env);
  return e.POWERTOOLS_LOG_LEVEL ?? e.LOG_LEVEL;
};
