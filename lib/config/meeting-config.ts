import { z } from 'zod';
import type { Secret } from '../shared/secret.js';
import { parseSettings } from './errors.js';
import {
  ALWAYS,
  checkSecretPair,
  int,
  parameterName,
  type SecretSetting,
  secretSettingOf,
  secretValue,
} from './settings.js';

/** Base URLs per region (docs/meeting-api.md §0). */
export const MEETING_REGIONS = {
  'cn-north-4': 'https://api.meeting.huaweicloud.com',
  'ap-southeast-1': 'https://api-intl.meeting.huaweicloud.com',
} as const;
export type MeetingRegion = keyof typeof MEETING_REGIONS;

export const API_DIALECTS = ['current', 'legacy'] as const;
export type ApiDialect = (typeof API_DIALECTS)[number];

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

/** Who we log in as, without the secret (which may rotate). */
export type MeetingIdentity = Omit<AccountCredentials, 'password'> | Omit<AppIdCredentials, 'appKey'>;

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

/** The Meeting settings of a function: everything but the secret, and where the secret comes from. */
export interface MeetingTarget extends Omit<MeetingConfig, 'credentials'> {
  readonly identity: MeetingIdentity;
  /** The password (account mode) or app key (App ID mode). */
  readonly secret: SecretSetting<Secret>;
}

/**
 * The longest MEETING_TIMEOUT_MS: one whole attempt must fit in a worker invocation (60 s in
 * serverless.yml, less the worker's 2 s wrap-up and the caller's 0.5 s margin), or every attempt
 * would be cut to what is left (lib/meeting/caller.ts). test/deploy/template.test.ts checks it
 * against the packaged worker's timeout.
 */
export const MEETING_TIMEOUT_MAX_MS = 50_000;
export const MEETING_TIMEOUT_DEFAULT_MS = 10_000;

/** The MEETING_* settings (README.md "Configuration"); built when parsed, not at module load. */
export const meetingShape = () => ({
  MEETING_ENDPOINT: z.url().optional(),
  MEETING_REGION: z.enum(Object.keys(MEETING_REGIONS) as [MeetingRegion, ...MeetingRegion[]]).optional(),
  MEETING_ACCOUNT: z.string().min(1).max(255).optional(),
  MEETING_PASSWORD: secretValue.optional(),
  MEETING_PASSWORD_PARAM: parameterName.optional(),
  MEETING_APP_ID: z.string().min(1).max(64).optional(),
  MEETING_APP_KEY: secretValue.optional(),
  MEETING_APP_KEY_PARAM: parameterName.optional(),
  MEETING_USER_ID: z.string().min(1).max(64).optional(),
  MEETING_CORP_ID: z.string().min(1).max(64).optional(),
  MEETING_API_DIALECT: z.enum(API_DIALECTS).default('current'),
  MEETING_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(MEETING_TIMEOUT_MAX_MS, {
      error: `at most ${MEETING_TIMEOUT_MAX_MS} ms: one request must fit in the worker's 60 s invocation`,
    })
    .default(MEETING_TIMEOUT_DEFAULT_MS),
  MEETING_MAX_ATTEMPTS: int(4, 1, 10),
  MEETING_TOKEN_SKEW_SECONDS: int(300, 0, 6 * 3600),
  MEETING_RATE_LIMIT_PER_MINUTE: int(0, 0, 1_000_000),
});
type MeetingEnv = z.output<z.ZodObject<ReturnType<typeof meetingShape>>>;

/** The combinations (a target, one auth mode with its secret), checked by presence only. */
export const checkMeeting = (e: Record<string, unknown>, ctx: z.RefinementCtx): void => {
  const issue = (setting: string, message: string) =>
    ctx.addIssue({ code: 'custom', message, path: [setting] });
  const has = (name: string) => e[name] !== undefined;
  const hasSecret = (name: string) => has(name) || has(`${name}_PARAM`);
  checkSecretPair('MEETING_PASSWORD', e, ctx, false);
  checkSecretPair('MEETING_APP_KEY', e, ctx, false);
  if (!has('MEETING_ENDPOINT') && !has('MEETING_REGION')) {
    issue('MEETING_ENDPOINT', 'set MEETING_ENDPOINT or MEETING_REGION');
  }
  const account = has('MEETING_ACCOUNT') || hasSecret('MEETING_PASSWORD');
  const appId = has('MEETING_APP_ID') || hasSecret('MEETING_APP_KEY');
  if (account === appId) {
    issue(
      'MEETING_ACCOUNT',
      'set either MEETING_ACCOUNT + MEETING_PASSWORD(_PARAM) or MEETING_APP_ID + MEETING_APP_KEY(_PARAM)',
    );
    return;
  }
  if (account && !has('MEETING_ACCOUNT')) issue('MEETING_ACCOUNT', 'MEETING_PASSWORD needs MEETING_ACCOUNT');
  if (account && !hasSecret('MEETING_PASSWORD')) {
    issue('MEETING_PASSWORD', 'MEETING_ACCOUNT needs MEETING_PASSWORD or MEETING_PASSWORD_PARAM');
  }
  if (appId && !has('MEETING_APP_ID')) issue('MEETING_APP_ID', 'MEETING_APP_KEY needs MEETING_APP_ID');
  if (appId && !hasSecret('MEETING_APP_KEY')) {
    issue('MEETING_APP_KEY', 'MEETING_APP_ID needs MEETING_APP_KEY or MEETING_APP_KEY_PARAM');
  }
};

const secretCheck = secretValue as z.ZodType<Secret, string>;

/** The target of settings that passed checkMeeting. */
export const meetingTargetOf = (e: MeetingEnv): MeetingTarget => {
  const secret =
    secretSettingOf('MEETING_PASSWORD', e.MEETING_PASSWORD, e.MEETING_PASSWORD_PARAM, secretCheck) ??
    secretSettingOf('MEETING_APP_KEY', e.MEETING_APP_KEY, e.MEETING_APP_KEY_PARAM, secretCheck);
  const identity: MeetingIdentity = e.MEETING_APP_ID
    ? Object.freeze({
        mode: 'appId',
        appId: e.MEETING_APP_ID,
        ...(e.MEETING_USER_ID && { userId: e.MEETING_USER_ID }),
        ...(e.MEETING_CORP_ID && { corpId: e.MEETING_CORP_ID }),
      })
    : Object.freeze({ mode: 'account', account: e.MEETING_ACCOUNT! });
  const endpoint = e.MEETING_ENDPOINT ?? MEETING_REGIONS[e.MEETING_REGION!];
  return Object.freeze({
    endpoint: endpoint.replace(/\/+$/, ''),
    dialect: e.MEETING_API_DIALECT,
    identity,
    secret: secret!,
    timeoutMs: e.MEETING_TIMEOUT_MS,
    maxAttempts: e.MEETING_MAX_ATTEMPTS,
    tokenSkewSeconds: e.MEETING_TOKEN_SKEW_SECONDS,
    rateLimitPerMinute: e.MEETING_RATE_LIMIT_PER_MINUTE,
  });
};

/** The identity with its current secret: what a login needs. */
export const credentialsOf = (identity: MeetingIdentity, secret: Secret): MeetingCredentials =>
  Object.freeze(
    identity.mode === 'appId' ? { ...identity, appKey: secret } : { ...identity, password: secret },
  );

/** A complete MeetingConfig from a target and the secret's current value. */
export const meetingConfigOf = (target: MeetingTarget, secret: Secret): MeetingConfig => {
  const { identity, secret: _source, ...settings } = target;
  return Object.freeze({ ...settings, credentials: credentialsOf(identity, secret) });
};

/**
 * The Meeting settings alone, with the secret given as a value: for tools and tests that only
 * need a Meeting client. Functions parse their whole configuration (lib/config/functions.ts).
 */
export const parseMeetingConfig = (env: Record<string, string | undefined>): MeetingConfig =>
  parseSettings(
    z
      .object(meetingShape())
      .superRefine((e, ctx) => {
        checkMeeting(e, ctx);
        for (const name of ['MEETING_PASSWORD_PARAM', 'MEETING_APP_KEY_PARAM'] as const) {
          if (e[name] !== undefined) {
            ctx.addIssue({ code: 'custom', message: 'not read here; give the value itself', path: [name] });
          }
        }
      }, ALWAYS)
      .transform((e) => {
        const target = meetingTargetOf(e);
        return meetingConfigOf(target, (target.secret as { value: Secret }).value);
      }),
    env,
  );
