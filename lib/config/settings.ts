import { z } from 'zod';
import { Secret } from '../shared/secret.js';
import { ConfigError } from './errors.js';

/** Shared building blocks of the settings schemas (README.md "Configuration"). */
export const flag = z.lazy(() =>
  z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes'),
);

export const int = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

export const secretValue = z.lazy(() =>
  z
    .string()
    .min(1)
    .transform((value) => new Secret(value)),
);

/** An SSM parameter name (or ARN); the value is read at run time, never put in the environment. */
export const parameterName = z.lazy(() =>
  z
    .string()
    .regex(/^(?:arn:\S+|[A-Za-z0-9_.\-/]+)$/, 'expected an SSM parameter name')
    .max(2048),
);

/**
 * Where a secret comes from: its value (local runs, tests) or `<SETTING>_PARAM`, the SSM
 * SecureString that holds it (AWS), read with a bounded cache age so rotations reach warm
 * functions. `parse` checks a value read from the parameter like the plain setting would be.
 */
export type SecretSetting<T> =
  | { readonly source: 'value'; readonly value: T }
  | {
      readonly source: 'parameter';
      readonly setting: string;
      readonly parameter: string;
      readonly parse: (raw: string) => T;
    };

/**
 * Checks a `<NAME>` / `<NAME>_PARAM` pair by presence only (so it can run alongside the field
 * checks and every problem is reported at once): not both; one of them when `required`.
 */
export const checkSecretPair = (
  name: string,
  env: Record<string, unknown>,
  ctx: z.RefinementCtx,
  required: boolean,
): void => {
  const value = env[name] !== undefined;
  const parameter = env[`${name}_PARAM`] !== undefined;
  if (value && parameter) {
    ctx.addIssue({ code: 'custom', message: `set ${name} or ${name}_PARAM, not both`, path: [name] });
  } else if (required && !value && !parameter) {
    ctx.addIssue({ code: 'custom', message: `set ${name} or ${name}_PARAM`, path: [name] });
  }
};

/** The setting of a checked pair (see checkSecretPair); `check` validates a value read from SSM. */
export const secretSettingOf = <T>(
  name: string,
  value: T | undefined,
  parameter: string | undefined,
  check: z.ZodType<T, string>,
): SecretSetting<T> | undefined => {
  if (value !== undefined) return { source: 'value', value };
  if (parameter === undefined) return undefined;
  const setting = `${name}_PARAM`;
  return Object.freeze({
    source: 'parameter',
    setting,
    parameter,
    parse: (raw: string): T => {
      const parsed = check.safeParse(raw);
      if (parsed.success) return parsed.data;
      throw new ConfigError(
        parsed.error.issues.map((issue) => ({
          setting: `${setting} (${parameter})`,
          message: issue.message,
        })),
      );
    },
  });
};

/** Runs a cross-setting check even when some fields failed, so one error lists everything. */
export const ALWAYS = { when: () => true } as const;
