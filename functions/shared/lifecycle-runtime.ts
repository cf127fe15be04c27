import { SQSClient } from '@aws-sdk/client-sqs';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { loadLifecycleSettings, loadMeetingConfig, loadStoreConfig } from '../../lib/config/index.js';
import { createLifecycle, type Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { createQueueWorker, type QueueWorker } from '../../lib/lifecycle/queue-worker.js';
import { ACCOUNT_TYPE } from '../../lib/meeting/schemas.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import type { MessageSink } from '../../lib/queue/types.js';
import type { Log } from '../../lib/shared/log.js';
import { createDynamoLifecycleStore } from '../../lib/store/dynamo-lifecycle-store.js';
import { createDynamoOffboardingStore } from '../../lib/store/dynamo-offboarding-store.js';
import { createDynamoTokenCache } from '../../lib/store/dynamo-token-cache.js';
import { createDocumentClient, createDynamoClient } from './aws-clients.js';
import { withSecretParameters } from './secret-parameters.js';

/**
 * Wiring shared by the worker and the cleanup function: config parsed once, one Meeting client
 * whose tokens live in the fleet-wide DynamoDB cache, one store. Built on first invocation.
 */
export const createLifecycleRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
): Promise<Lifecycle> => {
  const resolved = await withSecretParameters(env);
  const config = loadMeetingConfig(resolved);
  const store = loadStoreConfig(resolved);
  const doc = createDocumentClient(createDynamoClient(store.dynamoEndpoint));
  const meeting = connectMeeting({
    config,
    tokenCache: createDynamoTokenCache({ client: doc, tableName: store.tableName }),
    logger: log,
  });
  return createLifecycle({
    meeting,
    store: createDynamoLifecycleStore({ client: doc, tableName: store.tableName }),
    offboarding: createDynamoOffboardingStore({ client: doc, tableName: store.tableName }),
    settings: loadLifecycleSettings(resolved),
    accountType:
      config.credentials.mode === 'appId' ? ACCOUNT_TYPE.thirdAccount : ACCOUNT_TYPE.meetingAccount,
    log,
  });
};

/**
 * The worker's wiring: the lifecycle plus its dead-letter queue. Required: without a DLQ a
 * malformed event would block its employee's later events for every receive.
 */
export const createWorkerRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
  deadLetters?: MessageSink,
): Promise<QueueWorker> => {
  const lifecycle = await createLifecycleRuntime(env, log);
  const url = env.DEAD_LETTER_QUEUE_URL;
  if (!deadLetters && !url) throw new TypeError('DEAD_LETTER_QUEUE_URL is required');
  return createQueueWorker({
    lifecycle,
    deadLetters: deadLetters ?? createSqsMessageSink({ client: new SQSClient({}), queueUrl: url! }),
  });
};
