import type { ScheduledEvent, SQSEvent } from 'aws-lambda';
import {
  type CleanupRunResult,
  logger as cleanupLogger,
  createCleanupHandler,
} from '../functions/cleanup/handler.js';
import { logger as bambooHrLogger, createBambooHrHandler } from '../functions/hr-bamboohr/handler.js';
import { createFeishuHandler, logger as feishuLogger } from '../functions/hr-feishu/handler.js';
import { createHrWebhookHandler, logger as webhookLogger } from '../functions/hr-webhook/handler.js';
import { createWorkerHandler, logger as workerLogger } from '../functions/lifecycle-worker/handler.js';
import { createBambooHrRuntime, createFeishuRuntime } from '../functions/shared/connector-runtime.js';
import { createLifecycleRuntime } from '../functions/shared/lifecycle-runtime.js';
import { createWebhookRuntime } from '../functions/shared/webhook-runtime.js';
import { ConfigError, withoutEmpty } from '../lib/config/errors.js';
import { createQueueWorker } from '../lib/lifecycle/queue-worker.js';
import {
  MAX_RECEIVE_COUNT,
  REDELIVERY,
  type RedeliveryPolicy,
  scaleRedelivery,
} from '../lib/queue/redelivery.js';
import { type Log, silentLog } from '../lib/shared/log.js';
import { LOCAL_TEST_SECRET } from '../lib/webhook/secrets.js';
import {
  DEMO_CREDENTIALS,
  type MeetingSimulator,
  type SimulatorOptions,
  startMeetingSimulator,
} from '../simulator/index.js';
import { type LocalDynamoOptions, startLocalDynamo } from './dynamo.js';
import { type HttpHostOptions, startHttpHost } from './http-host.js';
import { createLambdaContext } from './lambda-context.js';
import { createLocalFifoQueue } from './local-fifo-queue.js';
import { persistQueues, readQueueFile } from './queue-files.js';
import { type LocalSqsEndpoint, startLocalSqsEndpoint } from './sqs-endpoint.js';
import { createSqsEventSource } from './sqs-event-source.js';
import { LOCAL_PATHS, type LocalEndpoints } from './state.js';

export interface LocalStackOptions {
  /** Settings as in AWS (MEETING_*, WEBHOOK_SECRETS, RETENTION_DAYS, ...); default process.env. */
  readonly env?: Record<string, string | undefined>;
  readonly port?: number;
  /** Limits of the local HTTP host (timeouts, header size); defaults in HTTP_HOST_DEFAULTS. */
  readonly http?: Omit<HttpHostOptions, 'port' | 'host'>;
  readonly simulator?: SimulatorOptions;
  /**
   * Local visibility timeout (default: the worker timeout, the least that keeps a batch from
   * being delivered twice while it runs; 6x when deployed). Failed messages do not wait for it:
   * the worker hands them back with their own delay.
   */
  readonly visibilityTimeoutMs?: number;
  /** Worker function timeout (default 30 s); AWS wants the visibility timeout at least 6x this. */
  readonly workerTimeoutMs?: number;
  readonly workerConcurrency?: number;
  /** false: webhook only, messages stay on the queue (tests of the intake path). */
  readonly startWorker?: boolean;
  /**
   * The worker's redelivery delays and breaker pause. Default: the deployed ones (REDELIVERY)
   * shortened 100 times (failures back after 0.1 s, at most 6 s), so local runs keep moving.
   */
  readonly redelivery?: RedeliveryPolicy;
  /** Receives before the DLQ; default as deployed (MAX_RECEIVE_COUNT). */
  readonly maxReceiveCount?: number;
  /** Runs before each worker invocation; throwing simulates a worker killed mid-batch. */
  readonly beforeWorkerInvoke?: (event: SQSEvent) => void | Promise<void>;
  /**
   * For the local machinery (HTTP host, event source). The functions log with their own loggers,
   * as in Lambda (functions/<name>/handler.ts; level: POWERTOOLS_LOG_LEVEL).
   */
  readonly log?: Log;
  /** Local DynamoDB options (the bench counts reads and runs it in a process of its own). */
  readonly dynamo?: Pick<LocalDynamoOptions, 'count' | 'separateProcess'>;
  /**
   * Keep DynamoDB data and the queues in this folder (local/state.ts; the caller owns it),
   * instead of in memory: `npm run dev`. Implies `exposeQueues`.
   */
  readonly stateDir?: string;
  /** Serve the queues on an SQS-compatible endpoint (local/sqs-endpoint.ts) for the commands. */
  readonly exposeQueues?: boolean;
}

export const QUEUE_NAMES = {
  events: 'meeting-lifecycle-events.fifo',
  deadLetters: 'meeting-lifecycle-events-dlq.fifo',
} as const;

/** The local lifecycle queue and its DLQ, restored from (and kept in) `stateDir` when given. */
export const createLocalQueues = (options: {
  stateDir?: string;
  visibilityTimeoutMs?: number;
  maxReceiveCount?: number;
}) => {
  const dir = options.stateDir && LOCAL_PATHS.queues(options.stateDir);
  const restore = (name: string) => {
    const snapshot = dir ? readQueueFile(dir, name) : undefined;
    return snapshot ? { restore: snapshot } : {};
  };
  const dlq = createLocalFifoQueue({ name: QUEUE_NAMES.deadLetters, ...restore(QUEUE_NAMES.deadLetters) });
  const queue = createLocalFifoQueue({
    name: QUEUE_NAMES.events,
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 30_000,
    maxReceiveCount: options.maxReceiveCount ?? MAX_RECEIVE_COUNT, // as deployed (serverless.yml)
    dedupScope: 'messageGroup', // as deployed (serverless.yml DeduplicationScope)
    dlq,
    ...restore(QUEUE_NAMES.events),
  });
  if (!dir) return { queue, dlq, close: () => undefined };
  const persisted = persistQueues(dir, [queue, dlq]);
  const [savedQueue, savedDlq] = persisted.queues;
  return { queue: savedQueue!, dlq: savedDlq!, close: () => persisted.close() };
};

/** One process runs every function here: each line says which function wrote it. */
const functionLog = (log: Log, name: string): Log => ({
  debug: (message, ...extra) => log.debug(message, { function: name }, ...extra),
  info: (message, ...extra) => log.info(message, { function: name }, ...extra),
  warn: (message, ...extra) => log.warn(message, { function: name }, ...extra),
  error: (message, ...extra) => log.error(message, { function: name }, ...extra),
});

export const WEBHOOK_PATH = '/hr/events';
export const LOCAL_REDELIVERY = scaleRedelivery(REDELIVERY, 1 / 100);
const DEFAULT_WORKER_TIMEOUT_MS = 30_000;
/**
 * The deployed worker's timeout (serverless.yml lifecycleWorker.timeout; test/deploy/template.test.ts
 * checks they agree): what `npm run dev` gives its worker, so that it meets the same budget.
 */
export const DEPLOYED_WORKER_TIMEOUT_MS = 60_000;
/** The HR vendor connectors (docs/connectors.md); 404 unless BAMBOOHR_ENABLED / FEISHU_ENABLED. */
export const BAMBOOHR_PATH = '/hr/bamboohr';
export const FEISHU_PATH = '/hr/feishu';

/**
 * The whole system on one machine, wired exactly as in AWS: the same handlers and runtime
 * builders, with dynalite for DynamoDB, an in-process FIFO queue with SQS semantics feeding the
 * worker, a local HTTP host for the webhook, and the Meeting simulator unless MEETING_ENDPOINT
 * or MEETING_REGION points at a real tenant.
 */
export const startLocalStack = async (options: LocalStackOptions = {}) => {
  const log = options.log ?? silentLog;
  const env = withoutEmpty(options.env ?? process.env);
  if (env.WEBHOOK_SECRETS_PARAM !== undefined && env.WEBHOOK_SECRETS === undefined) {
    // The local stack signs and verifies with a secret it can print; it reads no SSM.
    throw new ConfigError([
      {
        setting: 'WEBHOOK_SECRETS_PARAM',
        message:
          'the local stack uses a local secret: set WEBHOOK_SECRETS, or neither for the printed test secret (WEBHOOK_SECRETS_PARAM is for deployed stacks)',
      },
    ]);
  }
  const useSimulator = !env.MEETING_ENDPOINT && !env.MEETING_REGION;
  const simulator: MeetingSimulator | undefined = useSimulator
    ? await startMeetingSimulator(options.simulator)
    : undefined;
  const hasCredentials = env.MEETING_ACCOUNT || env.MEETING_APP_ID;
  const meetingEnv = simulator
    ? {
        MEETING_ENDPOINT: simulator.url,
        ...(!hasCredentials && {
          MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
          MEETING_PASSWORD: DEMO_CREDENTIALS.password,
        }),
      }
    : {};
  const dynamo = await startLocalDynamo({
    ...options.dynamo,
    ...(options.stateDir && { path: LOCAL_PATHS.dynamo(options.stateDir) }),
  });
  const queueName = QUEUE_NAMES.events;
  const dlqName = QUEUE_NAMES.deadLetters;
  const runtimeEnv = {
    ...env,
    ...meetingEnv,
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    WEBHOOK_SECRETS: env.WEBHOOK_SECRETS ?? LOCAL_TEST_SECRET,
    // The in-process queues stand in for SQS (the functions' sinks are replaced below).
    QUEUE_URL: `local:${queueName}`,
    DEAD_LETTER_QUEUE_URL: `local:${dlqName}`,
  };

  const localQueues = createLocalQueues({
    ...(options.stateDir && { stateDir: options.stateDir }),
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? options.workerTimeoutMs ?? DEFAULT_WORKER_TIMEOUT_MS,
    ...(options.maxReceiveCount !== undefined && { maxReceiveCount: options.maxReceiveCount }),
  });
  const { queue, dlq } = localQueues;
  const queues = { sink: queue, deadLetters: dlq };
  // Built before anything listens, so a bad configuration is one ConfigError at start, not a
  // failure of every delivery. Each function has its own runtime and logger, as in AWS (they
  // share the DynamoDB token cache, so they still log in once).
  const buildRuntimes = async () => {
    const workerLifecycle = await createLifecycleRuntime(runtimeEnv, workerLogger);
    return {
      webhook: await createWebhookRuntime(runtimeEnv, webhookLogger, { sink: queue }),
      workerLifecycle,
      worker: createQueueWorker({
        lifecycle: workerLifecycle,
        deadLetters: dlq,
        visibility: queue,
        redelivery: options.redelivery ?? LOCAL_REDELIVERY,
      }),
      cleanupLifecycle: await createLifecycleRuntime(runtimeEnv, cleanupLogger),
      bambooHr: await createBambooHrRuntime(runtimeEnv, bambooHrLogger, queues),
      feishu: await createFeishuRuntime(runtimeEnv, feishuLogger, queues),
    };
  };
  let runtimes: Awaited<ReturnType<typeof buildRuntimes>>;
  try {
    runtimes = await buildRuntimes();
  } catch (error) {
    localQueues.close();
    await dynamo.close();
    await simulator?.close();
    throw error;
  }
  const sqs: LocalSqsEndpoint | undefined =
    (options.exposeQueues ?? options.stateDir !== undefined)
      ? await startLocalSqsEndpoint([queue, dlq])
      : undefined;
  const getLifecycle = async () => runtimes.workerLifecycle;
  const getWorker = async () => runtimes.worker;
  const webhook = createHrWebhookHandler(async () => runtimes.webhook);
  const worker = createWorkerHandler(getWorker, {
    onRecordFailure: (record, reason) => queue.recordFailure(record.receiptHandle, reason),
  });
  const cleanup = createCleanupHandler(async () => runtimes.cleanupLifecycle);
  const source = createSqsEventSource({
    queue,
    handler: worker,
    batchSize: 10,
    concurrency: options.workerConcurrency ?? 2,
    timeoutMs: options.workerTimeoutMs ?? DEFAULT_WORKER_TIMEOUT_MS,
    logger: functionLog(log, 'lifecycle-worker'),
    ...(options.beforeWorkerInvoke && { beforeInvoke: options.beforeWorkerInvoke }),
  });
  if (options.startWorker !== false) source.start();
  const bambooHr = createBambooHrHandler(async () => runtimes.bambooHr);
  const feishu = createFeishuHandler(async () => runtimes.feishu);
  const host = await startHttpHost(
    [
      { method: 'POST', path: WEBHOOK_PATH, functionName: 'hrWebhook', handler: webhook },
      { method: 'POST', path: BAMBOOHR_PATH, functionName: 'bambooHrWebhook', handler: bambooHr },
      { method: 'POST', path: FEISHU_PATH, functionName: 'feishuWebhook', handler: feishu },
    ],
    {
      ...options.http,
      ...(options.port !== undefined && { port: options.port }),
    },
  );

  const scheduledEvent = (): ScheduledEvent => ({
    version: '0',
    id: crypto.randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/meeting-lifecycle-cleanup'],
    detail: {},
  });

  return {
    webhookUrl: `${host.url}${WEBHOOK_PATH}`,
    bambooHrUrl: `${host.url}${BAMBOOHR_PATH}`,
    feishuUrl: `${host.url}${FEISHU_PATH}`,
    webhookSecrets: runtimeEnv.WEBHOOK_SECRETS,
    simulator,
    dynamo,
    queue,
    dlq,
    sqs,
    /** What a command beside this stack needs to share its state (local/state.ts). */
    endpoints: sqs
      ? ({
          dynamodb: dynamo.endpoint,
          tableName: dynamo.tableName,
          sqs: sqs.endpoint,
          queueUrl: sqs.urlOf(QUEUE_NAMES.events),
          deadLetterQueueUrl: sqs.urlOf(QUEUE_NAMES.deadLetters),
          ...(simulator && { meeting: simulator.url }),
        } satisfies LocalEndpoints)
      : undefined,
    getLifecycle,
    getWorker,
    /** Waits until the worker has consumed everything that can be consumed. */
    drain: (timeoutMs = 60_000) => source.drain({ timeoutMs }),
    /** Invokes the scheduled cleanup function once, as EventBridge would. */
    runCleanup: async () =>
      (await cleanup(scheduledEvent(), createLambdaContext('cleanup', 300_000))) as CleanupRunResult,
    async stop() {
      await source.stop();
      await host.close();
      await sqs?.close();
      localQueues.close();
      await dynamo.close();
      await simulator?.close();
    },
  };
};
export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
