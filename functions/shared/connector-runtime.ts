import { SQSClient } from '@aws-sdk/client-sqs';
import {
  type BambooHrConfig,
  connectorEnabled,
  type FeishuConfig,
  loadBambooHrConfig,
  loadFeishuConfig,
  loadStoreConfig,
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
import { createDynamoLifecycleStore } from '../../lib/store/dynamo-lifecycle-store.js';
import { createIdempotencyPersistence } from '../../lib/store/idempotency.js';
import { EMPLOYEE_STATUS } from '../../lib/store/types.js';
import { createDocumentClient, createDynamoClient } from './aws-clients.js';
import type { HttpReceiver } from './http-function.js';
import { withSecretParameters } from './secret-parameters.js';

/** Local runs and tests replace the AWS queues, the vendor's network and the clock. */
export interface ConnectorOverrides {
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

const queueSink = (url: string | undefined, name: string): MessageSink => {
  if (!url) throw new Error(`${name} is required`);
  return createSqsMessageSink({ client: new SQSClient({}), queueUrl: url });
};

/** The receiver around an adapter: queue, DLQ, idempotency and our employee records. */
const receiverFor = <N extends Notification>(
  adapter: ConnectorAdapter<N>,
  env: Record<string, string | undefined>,
  maxBodyBytes: number,
  log: Log,
  overrides: ConnectorOverrides,
): HttpReceiver => {
  const store = loadStoreConfig(env);
  const dynamo = createDynamoClient(store.dynamoEndpoint);
  const employees = createDynamoLifecycleStore({
    client: createDocumentClient(dynamo),
    tableName: store.tableName,
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
  return createConnectorReceiver({
    adapter,
    sink: overrides.sink ?? queueSink(env.QUEUE_URL, 'QUEUE_URL'),
    deadLetters: overrides.deadLetters ?? queueSink(env.DEAD_LETTER_QUEUE_URL, 'DEAD_LETTER_QUEUE_URL'),
    directory,
    persistenceStore: createIdempotencyPersistence({
      client: dynamo,
      tableName: store.tableName,
      functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? `hr-${adapter.name}`,
    }),
    maxBodyBytes,
    log,
  });
};

interface RuntimeSpec<C extends { enabled: true; apiTimeoutMs: number; maxBodyBytes: number }> {
  readonly connector: ConnectorName;
  readonly label: string;
  readonly setting: 'BAMBOOHR' | 'FEISHU';
  readonly load: (env: Record<string, string | undefined>) => C | { readonly enabled: false };
  readonly adapter: (config: C, http: VendorHttp, clock: Clock) => ConnectorAdapter<Notification>;
}

const createConnectorRuntime = async <
  C extends { enabled: true; apiTimeoutMs: number; maxBodyBytes: number },
>(
  spec: RuntimeSpec<C>,
  env: Record<string, string | undefined>,
  log: Log,
  overrides: ConnectorOverrides,
): Promise<HttpReceiver> => {
  if (!connectorEnabled(env, spec.setting)) return disabled(spec.label);
  const resolved = await withSecretParameters(env);
  const config = spec.load(resolved);
  if (!config.enabled) return disabled(spec.label);
  const http = createVendorHttp({
    connector: spec.connector,
    timeoutMs: config.apiTimeoutMs,
    ...(overrides.fetch && { fetch: overrides.fetch }),
  });
  const adapter = spec.adapter(config, http, overrides.clock ?? systemClock);
  return receiverFor(adapter, resolved, config.maxBodyBytes, log, overrides);
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
      setting: 'BAMBOOHR',
      load: loadBambooHrConfig,
      adapter: (config: BambooHrConfig, http, clock) =>
        createBambooHrAdapter({
          webhookKeys: config.webhookKeys,
          toleranceSeconds: config.toleranceSeconds,
          employeeIdPrefix: config.employeeIdPrefix,
          client: createBambooHrClient({ baseUrl: config.baseUrl, apiKey: config.apiKey, http }),
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
      setting: 'FEISHU',
      load: loadFeishuConfig,
      adapter: (config: FeishuConfig, http, clock) =>
        createFeishuAdapter({
          appId: config.appId,
          encryptKey: config.encryptKey,
          verificationToken: config.verificationToken,
          toleranceSeconds: config.toleranceSeconds,
          idType: config.idType,
          client: createFeishuClient({
            baseUrl: config.baseUrl,
            appId: config.appId,
            appSecret: config.appSecret,
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
