import { SQSClient } from '@aws-sdk/client-sqs';
import { parseWorkerConfig } from '../../lib/config/index.js';
import { createQueueWorker, type QueueWorker } from '../../lib/lifecycle/queue-worker.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import type { Log } from '../../lib/shared/log.js';
import { buildLifecycle } from './lifecycle-runtime.js';
import type { SecretReaderOptions } from './secrets.js';

/**
 * The worker's wiring: the lifecycle plus its dead-letter queue. Required by its schema: without
 * a DLQ a malformed event would block its employee's later events for every receive.
 */
export const createWorkerRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
  options: SecretReaderOptions = {},
): Promise<QueueWorker> => {
  const config = parseWorkerConfig(env);
  return createQueueWorker({
    lifecycle: await buildLifecycle(config, log, options),
    deadLetters: createSqsMessageSink({ client: new SQSClient({}), queueUrl: config.deadLetterQueueUrl }),
  });
};
