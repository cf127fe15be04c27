import type { z } from 'zod';

/**
 * A deployment problem: one line naming every bad setting and what is wrong with it, never a
 * value (settings include secrets). `settings` lists the names for tools that want them.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly settings: readonly string[];

  constructor(problems: readonly { setting: string; message: string }[]) {
    const detail = problems.map((p) => `${p.setting}: ${p.message}`.replace(/\s+/g, ' ')).join('; ');
    super(`invalid configuration: ${detail}`);
    this.settings = [...new Set(problems.map((p) => p.setting))];
  }
}

type Env = Record<string, string | undefined>;

/** Unset and empty are the same (serverless.yml writes '' for settings left out). */
export const withoutEmpty = (env: Env): Record<string, string> =>
  Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => {
      const value = entry[1];
      return value !== undefined && value.trim() !== '';
    }),
  );

/**
 * The one place a settings schema is applied: every issue becomes part of one ConfigError.
 * zod's messages name expectations, not the input, so no value reaches the message.
 */
export const parseSettings = <T extends z.ZodType>(schema: T, env: Env): z.output<T> => {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => ({
      setting: issue.path.map(String).join('.') || 'environment',
      message: issue.message,
    })),
  );
};
