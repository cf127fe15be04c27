import type { ScheduledEvent, SQSEvent } from 'aws-lambda';
import { type CleanupRunResult, createCleanupHandler } from '../functions/cleanup/handler.js';
import { createHrWebhookHandler } from '../functions/hr-webhook/handler.js';
import { createWorkerHandler } from '../functions/lifecycle-worker/handler.js';
import { createBambooHrRuntime, createFeishuRuntime } from '../functions/shared/connector-runtime.js';
import { createHttpFunction } from '../functions/shared/http-function.js';
import { lazy } from '../functions/shared/lazy.js';
import { createLifecycleRuntime } from '../functions/shared/lifecycle-runtime.js';
import { createWebhookRuntime } from '../functions/shared/webhook-runtime.js';
import { withoutEmpty } from '../lib/config/meeting-config.js';
import { createQueueWorker } from '../lib/lifecycle/queue-worker.js';
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
import { createSqsEventSource } from './sqs-event-source.js';

export interface LocalStackOptions {
  /** Settings as in AWS (MEETING_*, WEBHOOK_SECRETS, RETENTION_DAYS, ...); default process.env. */
  readonly env?: Record<string, string | undefined>;
  readonly port?: number;
  /** Limits of the local HTTP host (timeouts, header size); defaults in HTTP_HOST_DEFAULTS. */
  readonly http?: Omit<HttpHostOptions, 'port' | 'host'>;
  readonly simulator?: SimulatorOptions;
  /** Local visibility timeout: short, so failed messages come back quickly. */
  readonly visibilityTimeoutMs?: number;
  /** Worker function timeout (default 30 s); AWS wants the visibility timeout at least 6x this. */
  readonly workerTimeoutMs?: number;
  readonly workerConcurrency?: number;
  /** false: webhook only, messages stay on the queue (tests of the intake path). */
  readonly startWorker?: boolean;
  /** Runs before each worker invocation; throwing simulates a worker killed mid-batch. */
  readonly beforeWorkerInvoke?: (event: SQSEvent) => void | Promise<void>;
  readonly log?: Log;
  /** Local DynamoDB options (the bench counts reads and runs it in a process of its own). */
  readonly dynamo?: Pick<LocalDynamoOptions, 'count' | 'separateProcess'>;
}

export const WEBHOOK_PATH = '/hr/events';
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
  const dynamo = await startLocalDynamo(options.dynamo);
  const runtimeEnv = {
    ...env,
    ...meetingEnv,
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    WEBHOOK_SECRETS: env.WEBHOOK_SECRETS ?? LOCAL_TEST_SECRET,
  };

  const dlq = createLocalFifoQueue({ name: 'meeting-lifecycle-events-dlq.fifo' });
  const queue = createLocalFifoQueue({
    name: 'meeting-lifecycle-events.fifo',
    visibilityTimeoutMs: options.visibilityTimeoutMs ?? 1_000,
    maxReceiveCount: 5,
    dedupScope: 'messageGroup', // as deployed (serverless.yml DeduplicationScope)
    dlq,
  });
  const getLifecycle = lazy(() => createLifecycleRuntime(runtimeEnv, log));
  const webhook = createHrWebhookHandler(lazy(() => createWebhookRuntime(runtimeEnv, log, { sink: queue })));
  const getWorker = lazy(async () =>
    createQueueWorker({ lifecycle: await getLifecycle(), deadLetters: dlq }),
  );
  const worker = createWorkerHandler(getWorker, {
    onRecordFailure: (record, reason) => queue.recordFailure(record.receiptHandle, reason),
  });
  const cleanup = createCleanupHandler(getLifecycle);
  const source = createSqsEventSource({
    queue,
    handler: worker,
    batchSize: 10,
    concurrency: options.workerConcurrency ?? 2,
    timeoutMs: options.workerTimeoutMs ?? 30_000,
    logger: log,
    ...(options.beforeWorkerInvoke && { beforeInvoke: options.beforeWorkerInvoke }),
  });
  if (options.startWorker !== false) source.start();
  const queues = { sink: queue, deadLetters: dlq };
  const bambooHr = createHttpFunction(
    lazy(() => createBambooHrRuntime(runtimeEnv, log, queues)),
    'BambooHR webhook',
  );
  const feishu = createHttpFunction(
    lazy(() => createFeishuRuntime(runtimeEnv, log, queues)),
    'Feishu webhook',
  );
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
      await dynamo.close();
      await simulator?.close();
    },
  };
};
export type LocalStack = Awaited<ReturnType<typeof startLocalStack>>;
