// The function's own config module, not lib/config/index.js: the others' schemas are not built here.
import { parseWorkerConfig } from '../../lib/config/functions.js';
import { createQueueWorker, type QueueWorker } from '../../lib/lifecycle/queue-worker.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import { createSqsVisibility } from '../../lib/queue/sqs-visibility.js';
import type { Log } from '../../lib/shared/log.js';
import { createSqs } from './aws-clients.js';
import { buildLifecycle } from './lifecycle-runtime.js';
import type { SecretReaderOptions } from './secrets.js';

/**
 * The worker's wiring: the lifecycle plus its dead-letter queue and its own queue's visibility.
 * Both required by its schema: without a DLQ a malformed event would block its employee's later
 * events for every receive; without ChangeMessageVisibility (QUEUE_URL) every failure would wait
 * out the queue's visibility timeout, and a long Meeting outage would exhaust the receive budget.
 */
export const createWorkerRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
  options: SecretReaderOptions = {},
): Promise<QueueWorker> => {
  const config = parseWorkerConfig(env);
  const sqs = createSqs();
  return createQueueWorker({
    lifecycle: await buildLifecycle(config, log, options),
    deadLetters: createSqsMessageSink({ client: sqs, queueUrl: config.deadLetterQueueUrl }),
    visibility: createSqsVisibility({ client: sqs, queueUrl: config.queueUrl, logger: log }),
  });
};
