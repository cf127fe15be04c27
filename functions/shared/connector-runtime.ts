import {
  type BambooHrConfig,
  type ConnectorFunctionConfig,
  type FeishuConfig,
  parseBambooHrFunctionConfig,
  parseFeishuFunctionConfig,
} from '../../lib/config/index.js';
import { createBambooHrAdapter } from '../../lib/connectors/bamboohr/adapter.js';
import { createBambooHrClient } from '../../lib/connectors/bamboohr/client.js';
import { createFeishuAdapter } from '../../lib/connectors/feishu/adapter.js';
import { createFeishuClient } from '../../lib/connectors/feishu/client.js';
import { type ConnectorAdapter, createConnectorReceiver } from '../../lib/connectors/receiver.js';
import type { ConnectorName, EmployeeDirectory, Notification } from '../../lib/connectors/types.js';
import { createVendorHttp, type FetchFn, type VendorHttp } from '../../lib/connectors/vendor-http.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import type { MessageSink } from '../../lib/queue/types.js';
import { type Clock, systemClock } from '../../lib/shared/clock.js';
import type { Log } from '../../lib/shared/log.js';
import type { Secret } from '../../lib/shared/secret.js';
import { createDynamoLifecycleStore } from '../../lib/store/dynamo-lifecycle-store.js';
import { createIdempotencyPersistence } from '../../lib/store/idempotency.js';
import { EMPLOYEE_STATUS } from '../../lib/store/types.js';
import { createDynamo, createSqs } from './aws-clients.js';
import type { HttpReceiver } from './http-function.js';
import { createSecretReader, type SecretReader, type SecretReaderOptions } from './secrets.js';

/** Local runs and tests replace the AWS queues, the vendor's network, the clock and SSM. */
export interface ConnectorOverrides extends SecretReaderOptions {
  readonly sink?: MessageSink;
  readonly deadLetters?: MessageSink;
  readonly fetch?: FetchFn;
  readonly clock?: Clock;
}

/** A deployed but unconfigured connector answers 404 and reads no secret. */
const disabled =
  (label: string): HttpReceiver =>
  async () => ({
    status: 404,
    body: {
      error: { code: 'not_found', message: `the ${label} connector is not enabled on this deployment` },
    },
  });

type Enabled<C> = Extract<ConnectorFunctionConfig<C>, { enabled: true }>;

/** What stays for the container's life: queues, DLQ, idempotency and our employee records. */
const receiverShell = <C>(config: Enabled<C>, log: Log, overrides: ConnectorOverrides) => {
  const dynamo = createDynamo(config.store.dynamoEndpoint);
  const employees = createDynamoLifecycleStore({
    client: dynamo,
    tableName: config.store.tableName,
  });
  const directory: EmployeeDirectory = {
    prior: async (employeeId) => {
      const record = await employees.getEmployee(employeeId);
      if (!record) return { status: undefined };
      const profile = record.hr.profile?.value;
      return {
        status: record.status === EMPLOYEE_STATUS.active ? 'active' : 'offboarded',
        ...(profile && {
          profile: { ...profile, ...(record.account !== employeeId && { account: record.account }) },
        }),
      };
    },
  };
  const client = createSqs();
  const sqs = (url: string) => createSqsMessageSink({ client, queueUrl: url });
  const shell = {
    sink: overrides.sink ?? sqs(config.queueUrl),
    deadLetters: overrides.deadLetters ?? sqs(config.deadLetterQueueUrl),
    directory,
    persistenceStore: createIdempotencyPersistence({
      client: dynamo,
      tableName: config.store.tableName,
      functionName: config.functionName,
    }),
    maxBodyBytes: config.maxBodyBytes,
    log,
  };
  return (adapter: ConnectorAdapter<Notification>): HttpReceiver =>
    createConnectorReceiver({ adapter, ...shell });
};

interface RuntimeSpec<C extends { apiTimeoutMs: number }, S extends Record<string, unknown>> {
  readonly connector: ConnectorName;
  readonly label: string;
  readonly parse: (env: Record<string, string | undefined>) => ConnectorFunctionConfig<C>;
  /** The connector's secrets as they are now (re-read at most every 5 minutes). */
  readonly secrets: (config: C, reader: SecretReader) => Promise<S>;
  readonly adapter: (config: C, secrets: S, http: VendorHttp, clock: Clock) => ConnectorAdapter<Notification>;
}

/**
 * One connector function: its schema parsed once; its secrets read again (cached up to 5
 * minutes) before each notification, and the adapter rebuilt when one changed, so a revoked
 * key stops verifying without a restart.
 */
const createConnectorRuntime = async <C extends { apiTimeoutMs: number }, S extends Record<string, unknown>>(
  spec: RuntimeSpec<C, S>,
  env: Record<string, string | undefined>,
  log: Log,
  overrides: ConnectorOverrides,
): Promise<HttpReceiver> => {
  const config = spec.parse(env);
  if (!config.enabled) return disabled(spec.label);
  const reader = createSecretReader(overrides);
  const http = createVendorHttp({
    connector: spec.connector,
    timeoutMs: config.connector.apiTimeoutMs,
    ...(overrides.fetch && { fetch: overrides.fetch }),
  });
  const clock = overrides.clock ?? systemClock;
  const receiverWith = receiverShell(config, log, overrides);
  let current: { secrets: S; receiver: HttpReceiver } | undefined;
  const refresh = async (): Promise<HttpReceiver> => {
    const secrets = await spec.secrets(config.connector, reader);
    if (!current || Object.keys(secrets).some((key) => secrets[key] !== current?.secrets[key])) {
      current = { secrets, receiver: receiverWith(spec.adapter(config.connector, secrets, http, clock)) };
    }
    return current.receiver;
  };
  await refresh();
  return async (request) => (await refresh())(request);
};

/** Wiring of POST /hr/bamboohr (docs/connectors.md). */
export const createBambooHrRuntime = (
  env: Record<string, string | undefined>,
  log: Log,
  overrides: ConnectorOverrides = {},
): Promise<HttpReceiver> =>
  createConnectorRuntime(
    {
      connector: 'bamboohr',
      label: 'BambooHR',
      parse: parseBambooHrFunctionConfig,
      secrets: async (config: BambooHrConfig, reader) => ({
        webhookKeys: await reader.read(config.webhookKeys),
        apiKey: await reader.read(config.apiKey),
      }),
      adapter: (config, secrets: { webhookKeys: readonly Secret[]; apiKey: Secret }, http, clock) =>
        createBambooHrAdapter({
          webhookKeys: secrets.webhookKeys,
          toleranceSeconds: config.toleranceSeconds,
          employeeIdPrefix: config.employeeIdPrefix,
          client: createBambooHrClient({ baseUrl: config.baseUrl, apiKey: secrets.apiKey, http }),
          mapping: { fields: config.fields, terminatedStatuses: config.terminatedStatuses },
          clock,
        }),
    },
    env,
    log,
    overrides,
  );

/** Wiring of POST /hr/feishu (docs/connectors.md). */
export const createFeishuRuntime = (
  env: Record<string, string | undefined>,
  log: Log,
  overrides: ConnectorOverrides = {},
): Promise<HttpReceiver> =>
  createConnectorRuntime(
    {
      connector: 'feishu',
      label: 'Feishu/Lark',
      parse: parseFeishuFunctionConfig,
      secrets: async (config: FeishuConfig, reader) => ({
        appSecret: await reader.read(config.appSecret),
        encryptKey: await reader.read(config.encryptKey),
        verificationToken: await reader.read(config.verificationToken),
      }),
      adapter: (
        config,
        secrets: { appSecret: Secret; encryptKey: Secret; verificationToken: Secret },
        http,
        clock,
      ) =>
        createFeishuAdapter({
          appId: config.appId,
          encryptKey: secrets.encryptKey,
          verificationToken: secrets.verificationToken,
          toleranceSeconds: config.toleranceSeconds,
          idType: config.idType,
          client: createFeishuClient({
            baseUrl: config.baseUrl,
            appId: config.appId,
            appSecret: secrets.appSecret,
            http,
            clock,
          }),
          mapping: { fields: config.fields, frozenIsTerminated: config.frozenIsTerminated },
          clock,
        }),
    },
    env,
    log,
    overrides,
  );
