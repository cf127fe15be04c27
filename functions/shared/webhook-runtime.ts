import { SQSClient } from '@aws-sdk/client-sqs';
import { loadStoreConfig, loadWebhookConfig } from '../../lib/config/index.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import type { MessageSink } from '../../lib/queue/types.js';
import type { Log } from '../../lib/shared/log.js';
import { createIdempotencyPersistence } from '../../lib/store/idempotency.js';
import { createDeliveryReceiver } from '../../lib/webhook/receive-delivery.js';
import { parseWebhookSecrets } from '../../lib/webhook/secrets.js';
import { createWebhookVerifier } from '../../lib/webhook/verify.js';
import { createDynamoClient } from './aws-clients.js';
import { withSecretParameters } from './secret-parameters.js';

/** Wiring of the webhook: no Meeting client here (it never calls the Meeting API). */
export const createWebhookRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
  overrides: { sink?: MessageSink } = {},
) => {
  const resolved = await withSecretParameters(env);
  const config = loadWebhookConfig(resolved);
  const store = loadStoreConfig(resolved);
  const sink =
    overrides.sink ??
    (config.queueUrl
      ? createSqsMessageSink({ client: new SQSClient({}), queueUrl: config.queueUrl })
      : failMissing('QUEUE_URL'));
  return createDeliveryReceiver({
    verifier: createWebhookVerifier({
      secrets: parseWebhookSecrets(config.secrets),
      toleranceSeconds: config.toleranceSeconds,
      maxBodyBytes: config.maxBodyBytes,
    }),
    sink,
    persistenceStore: createIdempotencyPersistence({
      client: createDynamoClient(store.dynamoEndpoint),
      tableName: store.tableName,
      functionName: resolved.AWS_LAMBDA_FUNCTION_NAME ?? 'hr-webhook',
    }),
    maxEvents: config.maxEvents,
    log,
  });
};

const failMissing = (name: string): never => {
  throw new Error(`${name} is required`);
};
