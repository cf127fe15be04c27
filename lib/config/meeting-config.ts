import { z } from 'zod';
import { Secret } from '../shared/secret.js';

/** Base URLs per region (docs/meeting-api.md §0). */
export const MEETING_REGIONS = {
  'cn-north-4': 'https://api.meeting.huaweicloud.com',
  'ap-southeast-1': 'https://api-intl.meeting.huaweicloud.com',
} as const;
export type MeetingRegion = keyof typeof MEETING_REGIONS;

export const API_DIALECTS = ['current', 'legacy'] as const;
export type ApiDialect = (typeof API_DIALECTS)[number];

const secret = z
  .string()
  .min(1)
  .transform((value) => new Secret(value));

const optionalInt = (def: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(def);

/** The environment variables that configure the Meeting client (documented in README.md). */
export const meetingEnvSchema = z
  .object({
    MEETING_ENDPOINT: z.url().optional(),
    MEETING_REGION: z.enum(Object.keys(MEETING_REGIONS) as [MeetingRegion, ...MeetingRegion[]]).optional(),
    MEETING_ACCOUNT: z.string().min(1).max(255).optional(),
    MEETING_PASSWORD: secret.optional(),
    MEETING_APP_ID: z.string().min(1).max(64).optional(),
    MEETING_APP_KEY: secret.optional(),
    MEETING_USER_ID: z.string().min(1).max(64).optional(),
    MEETING_CORP_ID: z.string().min(1).max(64).optional(),
    MEETING_API_DIALECT: z.enum(API_DIALECTS).default('current'),
    MEETING_TIMEOUT_MS: optionalInt(10_000, 100, 120_000),
    MEETING_MAX_ATTEMPTS: optionalInt(4, 1, 10),
    MEETING_TOKEN_SKEW_SECONDS: optionalInt(300, 0, 6 * 3600),
    MEETING_RATE_LIMIT_PER_MINUTE: optionalInt(0, 0, 1_000_000),
  })
  .superRefine((env, ctx) => {
    if (!env.MEETING_ENDPOINT && !env.MEETING_REGION) {
      ctx.addIssue({
        code: 'custom',
        message: 'set MEETING_ENDPOINT or MEETING_REGION',
        path: ['MEETING_ENDPOINT'],
      });
    }
    const account = env.MEETING_ACCOUNT !== undefined || env.MEETING_PASSWORD !== undefined;
    const appId = env.MEETING_APP_ID !== undefined || env.MEETING_APP_KEY !== undefined;
    if (account === appId) {
      ctx.addIssue({
        code: 'custom',
        message: 'set either MEETING_ACCOUNT + MEETING_PASSWORD or MEETING_APP_ID + MEETING_APP_KEY',
        path: ['MEETING_ACCOUNT'],
      });
    }
    if (account && (!env.MEETING_ACCOUNT || !env.MEETING_PASSWORD)) {
      ctx.addIssue({
        code: 'custom',
        message: 'MEETING_ACCOUNT needs MEETING_PASSWORD',
        path: ['MEETING_PASSWORD'],
      });
    }
    if (appId && (!env.MEETING_APP_ID || !env.MEETING_APP_KEY)) {
      ctx.addIssue({
        code: 'custom',
        message: 'MEETING_APP_ID needs MEETING_APP_KEY',
        path: ['MEETING_APP_KEY'],
      });
    }
  });

export type AccountCredentials = {
  readonly mode: 'account';
  readonly account: string;
  readonly password: Secret;
};
export type AppIdCredentials = {
  readonly mode: 'appId';
  readonly appId: string;
  readonly appKey: Secret;
  /** Empty for the enterprise default admin (docs/meeting-api.md §1.2: signing with a userId auto-registers it). */
  readonly userId?: string;
  /** SP (multi-tenant) mode only. */
  readonly corpId?: string;
};
export type MeetingCredentials = AccountCredentials | AppIdCredentials;

export interface MeetingConfig {
  readonly endpoint: string;
  readonly dialect: ApiDialect;
  readonly credentials: MeetingCredentials;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly tokenSkewSeconds: number;
  /** Client-side request budget per API per minute; 0 = adaptive only (react to 429). */
  readonly rateLimitPerMinute: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Unset and empty are the same (serverless.yml writes '' for settings left out). */
export const withoutEmpty = (env: Record<string, string | undefined>) =>
  Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));

/** Parses the MEETING_* settings once (at cold start) into a frozen config; secrets stay wrapped. */
export const loadMeetingConfig = (env: Record<string, string | undefined> = process.env): MeetingConfig => {
  const parsed = meetingEnvSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid Meeting configuration: ${detail}`);
  }
  const e = parsed.data;
  const credentials: MeetingCredentials =
    e.MEETING_APP_ID && e.MEETING_APP_KEY
      ? Object.freeze({
          mode: 'appId',
          appId: e.MEETING_APP_ID,
          appKey: e.MEETING_APP_KEY,
          ...(e.MEETING_USER_ID ? { userId: e.MEETING_USER_ID } : {}),
          ...(e.MEETING_CORP_ID ? { corpId: e.MEETING_CORP_ID } : {}),
        })
      : Object.freeze({ mode: 'account', account: e.MEETING_ACCOUNT!, password: e.MEETING_PASSWORD! });
  const endpoint = (e.MEETING_ENDPOINT ?? MEETING_REGIONS[e.MEETING_REGION!]).replace(/\/+$/, '');
  return Object.freeze({
    endpoint,
    dialect: e.MEETING_API_DIALECT,
    credentials,
    timeoutMs: e.MEETING_TIMEOUT_MS,
    maxAttempts: e.MEETING_MAX_ATTEMPTS,
    tokenSkewSeconds: e.MEETING_TOKEN_SKEW_SECONDS,
    rateLimitPerMinute: e.MEETING_RATE_LIMIT_PER_MINUTE,
  });
};
