import { z } from 'zod';
import { Secret } from '../shared/secret.js';
import { parseSettings } from './errors.js';
import {
  ALWAYS,
  checkSecretPair,
  flag,
  parameterName,
  type SecretSetting,
  secretSettingOf,
  secretValue,
} from './settings.js';
import { type StoreConfig, storeConfigOf, storeShape } from './store-config.js';

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

/** Several values, space-separated (key rotation). */
const secretList = (name: string): z.ZodType<readonly Secret[], string> =>
  z
    .string()
    .transform((value) => value.trim().split(/\s+/).filter(Boolean))
    .pipe(
      z
        .array(z.string().min(8, `${name}: each key at least 8 characters`))
        .min(1)
        .max(5),
    )
    .transform((values) => Object.freeze(values.map((v) => new Secret(v))));
const secret = secretValue as z.ZodType<Secret, string>;
const seconds = (def: number) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(def);
const ms = (def: number) => z.coerce.number().int().min(100).max(25_000).default(def);
const paths = fieldPathsSchema.optional();

/** Whether `<CONNECTOR>_ENABLED` is true; read before anything else, so an off connector needs nothing. */
export const connectorEnabled = (env: Record<string, string | undefined>, connector: Connector): boolean => {
  const name = `${connector}_ENABLED`;
  return parseSettings(z.object({ [name]: flag.default(false) }), env)[name] === true;
};

type Connector = 'BAMBOOHR' | 'FEISHU';

/** `<CONNECTOR>_MAP_<SUFFIX>` settings and the member field each one maps. */
const MAPPED_FIELDS = { ACCOUNT: 'account', DEPT: 'deptCode', TITLE: 'title', EMAIL: 'email' } as const;
type MapSetting<C extends Connector> = `${C}_MAP_${keyof typeof MAPPED_FIELDS}`;
const mapSetting = <C extends Connector>(connector: C, suffix: keyof typeof MAPPED_FIELDS): MapSetting<C> =>
  `${connector}_MAP_${suffix}`;
const MAPPED = Object.entries(MAPPED_FIELDS) as [keyof typeof MAPPED_FIELDS, keyof FieldMapping][];

const mappingShape = <C extends Connector>(connector: C) =>
  Object.fromEntries(MAPPED.map(([suffix]) => [mapSetting(connector, suffix), paths])) as Record<
    MapSetting<C>,
    typeof paths
  >;

/** The defaults with each field a mapping setting names replaced (an empty setting keeps the default). */
const mappingOf = <C extends Connector>(
  connector: C,
  defaults: FieldMapping,
  e: Readonly<Partial<Record<MapSetting<C>, string[]>>>,
): FieldMapping => ({
  ...defaults,
  ...Object.fromEntries(
    MAPPED.map(([suffix, field]) => [field, e[mapSetting(connector, suffix)]]).filter(
      ([, paths]) => paths !== undefined && paths.length > 0,
    ),
  ),
});

/**
 * A secret pair of `spec.secrets`: parseConnectorFunction checked that `<NAME>` or `<NAME>_PARAM`
 * is set, and the shape parsed `<NAME>` with `check` (so the casts hold).
 */
const requiredSecret = <T>(
  e: Readonly<Record<string, unknown>>,
  name: string,
  check: z.ZodType<T, string>,
): SecretSetting<T> =>
  secretSettingOf(name, e[name] as T | undefined, e[`${name}_PARAM`] as string | undefined, check)!;

/** What a connector function needs besides its connector: the table, its queues, its name. */
const functionShape = {
  ...storeShape(),
  QUEUE_URL: z.url(),
  DEAD_LETTER_QUEUE_URL: z.url(),
  AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).max(140).optional(),
  CONNECTOR_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024)
    .default(64 * 1024),
};

/** A connector function's configuration; `enabled: false` reads nothing else. */
export type ConnectorFunctionConfig<C> =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly store: StoreConfig;
      /** The FIFO queue events go to, and where unusable notifications go at once. */
      readonly queueUrl: string;
      readonly deadLetterQueueUrl: string;
      /** Partitions the idempotency records (pk = IDEMPOTENCY#<functionName>). */
      readonly functionName: string;
      readonly maxBodyBytes: number;
      readonly connector: C;
    };

type FunctionEnv = z.output<z.ZodObject<typeof functionShape>>;

/**
 * One schema per connector function: the shared function part plus the connector's own settings,
 * every secret as `<NAME>` or `<NAME>_PARAM` (required), parsed once; off unless enabled.
 */
const parseConnectorFunction = <Shape extends z.core.$ZodLooseShape, C>(
  env: Record<string, string | undefined>,
  spec: {
    readonly connector: Connector;
    readonly functionName: string;
    readonly shape: Shape;
    readonly secrets: readonly string[];
    readonly build: (e: z.output<z.ZodObject<Shape>>) => C;
  },
): ConnectorFunctionConfig<C> => {
  if (!connectorEnabled(env, spec.connector)) return { enabled: false };
  return parseSettings(
    z
      .object({ ...functionShape, ...spec.shape })
      .superRefine((e, ctx) => {
        for (const name of spec.secrets) checkSecretPair(name, e, ctx, true);
      }, ALWAYS)
      .transform((e) => {
        const common = e as unknown as FunctionEnv;
        return Object.freeze({
          enabled: true as const,
          store: storeConfigOf(common),
          queueUrl: common.QUEUE_URL,
          deadLetterQueueUrl: common.DEAD_LETTER_QUEUE_URL,
          functionName: common.AWS_LAMBDA_FUNCTION_NAME ?? spec.functionName,
          maxBodyBytes: common.CONNECTOR_MAX_BODY_BYTES,
          connector: spec.build(e as z.output<z.ZodObject<Shape>>),
        });
      }),
    env,
  );
};

const bambooHrShape = {
  BAMBOOHR_COMPANY_DOMAIN: z
    .string({ error: 'BAMBOOHR_COMPANY_DOMAIN is required (the "mycompany" of mycompany.bamboohr.com)' })
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/i, 'BAMBOOHR_COMPANY_DOMAIN: the subdomain only'),
  /** Overrides https://{domain}.bamboohr.com (local runs: the simulator). */
  BAMBOOHR_API_BASE_URL: z.url().optional(),
  BAMBOOHR_WEBHOOK_KEYS: secretList('BAMBOOHR_WEBHOOK_KEYS').optional(),
  BAMBOOHR_WEBHOOK_KEYS_PARAM: parameterName.optional(),
  BAMBOOHR_API_KEY: secret.optional(),
  BAMBOOHR_API_KEY_PARAM: parameterName.optional(),
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
  ...mappingShape('BAMBOOHR'),
};

export interface BambooHrConfig {
  readonly baseUrl: string;
  readonly webhookKeys: SecretSetting<readonly Secret[]>;
  readonly apiKey: SecretSetting<Secret>;
  readonly toleranceSeconds: number;
  readonly apiTimeoutMs: number;
  readonly employeeIdPrefix: string;
  readonly terminatedStatuses: readonly string[];
  readonly fields: FieldMapping;
}

/** The BambooHR function (POST /hr/bamboohr): off unless BAMBOOHR_ENABLED is true. */
export const parseBambooHrFunctionConfig = (
  env: Record<string, string | undefined>,
): ConnectorFunctionConfig<BambooHrConfig> =>
  parseConnectorFunction(env, {
    connector: 'BAMBOOHR',
    functionName: 'hr-bamboohr',
    shape: bambooHrShape,
    secrets: ['BAMBOOHR_WEBHOOK_KEYS', 'BAMBOOHR_API_KEY'],
    build: (e): BambooHrConfig =>
      Object.freeze({
        baseUrl: e.BAMBOOHR_API_BASE_URL ?? `https://${e.BAMBOOHR_COMPANY_DOMAIN}.bamboohr.com`,
        webhookKeys: requiredSecret(e, 'BAMBOOHR_WEBHOOK_KEYS', secretList('BAMBOOHR_WEBHOOK_KEYS')),
        apiKey: requiredSecret(e, 'BAMBOOHR_API_KEY', secret),
        toleranceSeconds: e.BAMBOOHR_TOLERANCE_SECONDS,
        apiTimeoutMs: e.BAMBOOHR_API_TIMEOUT_MS,
        employeeIdPrefix: e.BAMBOOHR_EMPLOYEE_ID_PREFIX,
        terminatedStatuses: e.BAMBOOHR_TERMINATED_STATUSES,
        fields: mappingOf('BAMBOOHR', BAMBOOHR_DEFAULT_FIELDS, e),
      }),
  });

const feishuShape = {
  /** `feishu` (open.feishu.cn) or `lark` (open.larksuite.com), or FEISHU_API_BASE_URL. */
  FEISHU_PLATFORM: z.enum(Object.keys(FEISHU_BASE_URLS) as ['feishu', 'lark']).default('feishu'),
  FEISHU_API_BASE_URL: z.url().optional(),
  FEISHU_APP_ID: z
    .string({ error: 'FEISHU_APP_ID is required' })
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'FEISHU_APP_ID: e.g. cli_9e28cb7ba56a100e'),
  FEISHU_APP_SECRET: secret.optional(),
  FEISHU_APP_SECRET_PARAM: parameterName.optional(),
  FEISHU_ENCRYPT_KEY: secret.optional(),
  FEISHU_ENCRYPT_KEY_PARAM: parameterName.optional(),
  FEISHU_VERIFICATION_TOKEN: secret.optional(),
  FEISHU_VERIFICATION_TOKEN_PARAM: parameterName.optional(),
  // Feishu retries for ~7.1 h; whether retries are re-signed is unconfirmed.
  FEISHU_TOLERANCE_SECONDS: seconds(8 * 3600),
  // Feishu wants an answer within 3 s; token + user read must fit.
  FEISHU_API_TIMEOUT_MS: ms(1_200),
  FEISHU_EMPLOYEE_ID_TYPE: z.enum(FEISHU_ID_TYPES).default('open_id'),
  FEISHU_FROZEN_IS_TERMINATED: flag.default(true),
  ...mappingShape('FEISHU'),
};

export interface FeishuConfig {
  readonly baseUrl: string;
  readonly appId: string;
  readonly appSecret: SecretSetting<Secret>;
  readonly encryptKey: SecretSetting<Secret>;
  readonly verificationToken: SecretSetting<Secret>;
  readonly toleranceSeconds: number;
  readonly apiTimeoutMs: number;
  readonly idType: (typeof FEISHU_ID_TYPES)[number];
  readonly frozenIsTerminated: boolean;
  readonly fields: FieldMapping;
}

/** The Feishu/Lark function (POST /hr/feishu): off unless FEISHU_ENABLED is true. */
export const parseFeishuFunctionConfig = (
  env: Record<string, string | undefined>,
): ConnectorFunctionConfig<FeishuConfig> =>
  parseConnectorFunction(env, {
    connector: 'FEISHU',
    functionName: 'hr-feishu',
    shape: feishuShape,
    secrets: ['FEISHU_APP_SECRET', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN'],
    build: (e): FeishuConfig =>
      Object.freeze({
        baseUrl: e.FEISHU_API_BASE_URL ?? FEISHU_BASE_URLS[e.FEISHU_PLATFORM],
        appId: e.FEISHU_APP_ID,
        appSecret: requiredSecret(e, 'FEISHU_APP_SECRET', secret),
        encryptKey: requiredSecret(e, 'FEISHU_ENCRYPT_KEY', secret),
        verificationToken: requiredSecret(e, 'FEISHU_VERIFICATION_TOKEN', secret),
        toleranceSeconds: e.FEISHU_TOLERANCE_SECONDS,
        apiTimeoutMs: e.FEISHU_API_TIMEOUT_MS,
        idType: e.FEISHU_EMPLOYEE_ID_TYPE,
        frozenIsTerminated: e.FEISHU_FROZEN_IS_TERMINATED,
        fields: mappingOf('FEISHU', FEISHU_DEFAULT_FIELDS, e),
      }),
  });
