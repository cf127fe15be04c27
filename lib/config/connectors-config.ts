import { z } from 'zod';
import { Secret } from '../shared/secret.js';
import { ConfigError, withoutEmpty } from './meeting-config.js';

/**
 * Settings of the BambooHR and Feishu/Lark connectors (docs/connectors.md). Each is off unless
 * its `*_ENABLED` is true; once on, every setting it needs is required (a missing key is a
 * configuration error, never a connector that silently accepts anything).
 */

/**
 * Which vendor field becomes which member field. Each entry is a list of field paths (dot
 * separated, array indexes as numbers, e.g. `department_ids.0`); the first one with a value wins.
 */
export interface FieldMapping {
  /** The Meeting account (account/password mode). Absent: the employee id. */
  readonly account?: readonly string[];
  /** The Meeting department code. Absent: the root department. */
  readonly deptCode?: readonly string[];
  readonly title?: readonly string[];
  readonly email?: readonly string[];
}

const PATH = /^[A-Za-z0-9_]{1,64}(?:\.[A-Za-z0-9_]{1,64}){0,4}$/;

/** Parses a setting such as `enterprise_email,email` into paths. */
export const fieldPathsSchema = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().regex(PATH, 'field path: names joined by "." (e.g. department_ids.0)')).max(5));

/** Defaults: the Meeting account is the employee id, the department the root (docs/connectors.md). */
export const BAMBOOHR_DEFAULT_FIELDS: FieldMapping = { title: ['jobTitle'], email: ['workEmail'] };
export const FEISHU_DEFAULT_FIELDS: FieldMapping = {
  title: ['job_title'],
  email: ['enterprise_email', 'email'],
};

/** Feishu/Lark Open API bases (docs/connectors.md): the paths are the same on both. */
export const FEISHU_BASE_URLS = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
} as const;

/** The user id types the contact API accepts; events always carry open_id and union_id. */
export const FEISHU_ID_TYPES = ['open_id', 'union_id', 'user_id'] as const;
export type FeishuIdType = (typeof FEISHU_ID_TYPES)[number];

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const secret = (name: string) =>
  z
    .string({ error: `${name} (or ${name}_PARAM) is required` })
    .min(1)
    .transform((value) => new Secret(value));
/** Several values, space-separated (key rotation). */
const secrets = (name: string) =>
  z
    .string({ error: `${name} (or ${name}_PARAM) is required` })
    .transform((value) => value.trim().split(/\s+/).filter(Boolean))
    .pipe(
      z
        .array(z.string().min(8, `${name}: each key at least 8 characters`))
        .min(1)
        .max(5),
    )
    .transform((values) => values.map((v) => new Secret(v)));
const seconds = (def: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(def);
const ms = (def: number) => z.coerce.number().int().min(100).max(25_000).default(def);
const paths = fieldPathsSchema.optional();

const enabledSchema = (name: string) => z.object({ [name]: bool.default(false) });

/** Whether `<CONNECTOR>_ENABLED` is true; read before any secret is fetched. */
export const connectorEnabled = (
  env: Record<string, string | undefined>,
  connector: 'BAMBOOHR' | 'FEISHU',
): boolean => Boolean(parse(enabledSchema(`${connector}_ENABLED`), env, connector)[`${connector}_ENABLED`]);

const parse = <T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
  what: string,
): z.infer<T> => {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid ${what} configuration: ${detail}`);
  }
  return parsed.data;
};

type MappingSettings = { account?: string[]; deptCode?: string[]; title?: string[]; email?: string[] };

/** The defaults with each field the settings name replaced (an empty setting keeps the default). */
const mappingOf = (defaults: FieldMapping, settings: MappingSettings): FieldMapping => ({
  ...defaults,
  ...Object.fromEntries(
    Object.entries(settings).filter(([, paths]) => paths !== undefined && paths.length > 0),
  ),
});

const commonSchema = {
  CONNECTOR_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(64 * 1024),
};

const bambooHrEnvSchema = z.object({
  ...commonSchema,
  BAMBOOHR_COMPANY_DOMAIN: z
    .string({ error: 'BAMBOOHR_COMPANY_DOMAIN is required (the "mycompany" of mycompany.bamboohr.com)' })
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'BAMBOOHR_COMPANY_DOMAIN: the subdomain only'),
  /** Overrides https://{domain}.bamboohr.com (local runs: the simulator). */
  BAMBOOHR_API_BASE_URL: z.url().optional(),
  BAMBOOHR_WEBHOOK_KEYS: secrets('BAMBOOHR_WEBHOOK_KEYS'),
  BAMBOOHR_API_KEY: secret('BAMBOOHR_API_KEY'),
  // BambooHR retries a 5xx for ~2.6 h; whether retries are re-signed is unconfirmed.
  BAMBOOHR_TOLERANCE_SECONDS: seconds(3 * 3600),
  BAMBOOHR_API_TIMEOUT_MS: ms(5_000),
  BAMBOOHR_EMPLOYEE_ID_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.@-]{0,20}$/, 'BAMBOOHR_EMPLOYEE_ID_PREFIX: up to 20 of A-Z a-z 0-9 _ . @ -')
    .default('bamboohr-'),
  BAMBOOHR_TERMINATED_STATUSES: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .default(['Terminated']),
  BAMBOOHR_MAP_ACCOUNT: paths,
  BAMBOOHR_MAP_DEPT: paths,
  BAMBOOHR_MAP_TITLE: paths,
  BAMBOOHR_MAP_EMAIL: paths,
});

export interface BambooHrConfig {
  readonly enabled: true;
  readonly baseUrl: string;
  readonly webhookKeys: readonly Secret[];
  readonly apiKey: Secret;
  readonly toleranceSeconds: number;
  readonly apiTimeoutMs: number;
  readonly employeeIdPrefix: string;
  readonly terminatedStatuses: readonly string[];
  readonly fields: FieldMapping;
  readonly maxBodyBytes: number;
}

/** `{ enabled: false }` unless BAMBOOHR_ENABLED is true; then every required setting must be there. */
export const loadBambooHrConfig = (
  env: Record<string, string | undefined>,
): BambooHrConfig | { readonly enabled: false } => {
  if (!connectorEnabled(env, 'BAMBOOHR')) return { enabled: false };
  const e = parse(bambooHrEnvSchema, env, 'BambooHR');
  return Object.freeze({
    enabled: true,
    baseUrl: e.BAMBOOHR_API_BASE_URL ?? `https://${e.BAMBOOHR_COMPANY_DOMAIN}.bamboohr.com`,
    webhookKeys: e.BAMBOOHR_WEBHOOK_KEYS,
    apiKey: e.BAMBOOHR_API_KEY,
    toleranceSeconds: e.BAMBOOHR_TOLERANCE_SECONDS,
    apiTimeoutMs: e.BAMBOOHR_API_TIMEOUT_MS,
    employeeIdPrefix: e.BAMBOOHR_EMPLOYEE_ID_PREFIX,
    terminatedStatuses: e.BAMBOOHR_TERMINATED_STATUSES,
    fields: mappingOf(BAMBOOHR_DEFAULT_FIELDS, {
      account: e.BAMBOOHR_MAP_ACCOUNT,
      deptCode: e.BAMBOOHR_MAP_DEPT,
      title: e.BAMBOOHR_MAP_TITLE,
      email: e.BAMBOOHR_MAP_EMAIL,
    }),
    maxBodyBytes: e.CONNECTOR_MAX_BODY_BYTES,
  });
};

const feishuEnvSchema = z.object({
  ...commonSchema,
  /** `feishu` (open.feishu.cn) or `lark` (open.larksuite.com), or FEISHU_API_BASE_URL. */
  FEISHU_PLATFORM: z.enum(Object.keys(FEISHU_BASE_URLS) as ['feishu', 'lark']).default('feishu'),
  FEISHU_API_BASE_URL: z.url().optional(),
  FEISHU_APP_ID: z
    .string({ error: 'FEISHU_APP_ID is required' })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'FEISHU_APP_ID: e.g. cli_9e28cb7ba56a100e'),
  FEISHU_APP_SECRET: secret('FEISHU_APP_SECRET'),
  FEISHU_ENCRYPT_KEY: secret('FEISHU_ENCRYPT_KEY'),
  FEISHU_VERIFICATION_TOKEN: secret('FEISHU_VERIFICATION_TOKEN'),
  // Feishu retries for ~7.1 h; whether retries are re-signed is unconfirmed.
  FEISHU_TOLERANCE_SECONDS: seconds(8 * 3600),
  // Feishu wants an answer within 3 s; token + user read must fit.
  FEISHU_API_TIMEOUT_MS: ms(1_200),
  FEISHU_EMPLOYEE_ID_TYPE: z.enum(FEISHU_ID_TYPES).default('open_id'),
  FEISHU_FROZEN_IS_TERMINATED: bool.default(true),
  FEISHU_MAP_ACCOUNT: paths,
  FEISHU_MAP_DEPT: paths,
  FEISHU_MAP_TITLE: paths,
  FEISHU_MAP_EMAIL: paths,
});

export interface FeishuConfig {
  readonly enabled: true;
  readonly baseUrl: string;
  readonly appId: string;
  readonly appSecret: Secret;
  readonly encryptKey: Secret;
  readonly verificationToken: Secret;
  readonly toleranceSeconds: number;
  readonly apiTimeoutMs: number;
  readonly idType: (typeof FEISHU_ID_TYPES)[number];
  readonly frozenIsTerminated: boolean;
  readonly fields: FieldMapping;
  readonly maxBodyBytes: number;
}

/** `{ enabled: false }` unless FEISHU_ENABLED is true; then every required setting must be there. */
export const loadFeishuConfig = (
  env: Record<string, string | undefined>,
): FeishuConfig | { readonly enabled: false } => {
  if (!connectorEnabled(env, 'FEISHU')) return { enabled: false };
  const e = parse(feishuEnvSchema, env, 'Feishu');
  return Object.freeze({
    enabled: true,
    baseUrl: e.FEISHU_API_BASE_URL ?? FEISHU_BASE_URLS[e.FEISHU_PLATFORM],
    appId: e.FEISHU_APP_ID,
    appSecret: e.FEISHU_APP_SECRET,
    encryptKey: e.FEISHU_ENCRYPT_KEY,
    verificationToken: e.FEISHU_VERIFICATION_TOKEN,
    toleranceSeconds: e.FEISHU_TOLERANCE_SECONDS,
    apiTimeoutMs: e.FEISHU_API_TIMEOUT_MS,
    idType: e.FEISHU_EMPLOYEE_ID_TYPE,
    frozenIsTerminated: e.FEISHU_FROZEN_IS_TERMINATED,
    fields: mappingOf(FEISHU_DEFAULT_FIELDS, {
      account: e.FEISHU_MAP_ACCOUNT,
      deptCode: e.FEISHU_MAP_DEPT,
      title: e.FEISHU_MAP_TITLE,
      email: e.FEISHU_MAP_EMAIL,
    }),
    maxBodyBytes: e.CONNECTOR_MAX_BODY_BYTES,
  });
};
