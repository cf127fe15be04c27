// The function's own config module, not lib/config/index.js: the others' schemas are not built here.
import { parseWebhookFunctionConfig } from '../../lib/config/webhook-function.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import type { MessageSink } from '../../lib/queue/types.js';
import type { Log } from '../../lib/shared/log.js';
import type { Secret } from '../../lib/shared/secret.js';
import { createIdempotencyPersistence } from '../../lib/store/idempotency.js';
import { createDeliveryReceiver, type DeliveryRequest } from '../../lib/webhook/receive-delivery.js';
import { parseWebhookSecrets } from '../../lib/webhook/secrets.js';
import type { WebhookVerifier } from '../../lib/webhook/types.js';
import { createWebhookVerifier } from '../../lib/webhook/verify.js';
import { createDynamo, createSqs } from './aws-clients.js';
import { createSecretReader, type SecretReaderOptions } from './secrets.js';

export interface WebhookRuntimeOverrides extends SecretReaderOptions {
  /** Local runs: the in-process FIFO queue instead of SQS. */
  readonly sink?: MessageSink;
}

/**
 * Wiring of the webhook: no Meeting client here (it never calls the Meeting API). The secrets
 * are read again before each delivery (cached up to 5 minutes), and the verifier is rebuilt
 * when they changed, so a revoked secret stops verifying without a restart.
 */
export const createWebhookRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
  overrides: WebhookRuntimeOverrides = {},
) => {
  const config = parseWebhookFunctionConfig(env, parseWebhookSecrets);
  const { webhook, store } = config;
  const secrets = createSecretReader(overrides);
  let current: { secrets: readonly Secret[]; verifier: WebhookVerifier } | undefined;
  const refresh = async (): Promise<WebhookVerifier> => {
    const active = await secrets.read(webhook.secrets);
    if (current?.secrets !== active) {
      current = {
        secrets: active,
        verifier: createWebhookVerifier({
          secrets: active,
          toleranceSeconds: webhook.toleranceSeconds,
          maxBodyBytes: webhook.maxBodyBytes,
        }),
      };
    }
    return current.verifier;
  };
  await refresh();
  const receive = createDeliveryReceiver({
    verifier: { verify: (headers, rawBody) => current!.verifier.verify(headers, rawBody) },
    sink: overrides.sink ?? createSqsMessageSink({ client: createSqs(), queueUrl: config.queueUrl }),
    persistenceStore: createIdempotencyPersistence({
      client: createDynamo(store.dynamoEndpoint),
      tableName: store.tableName,
      functionName: config.functionName,
    }),
    maxEvents: webhook.maxEvents,
    log,
  });
  return async (request: DeliveryRequest) => {
    await refresh();
    return receive(request);
  };
};
