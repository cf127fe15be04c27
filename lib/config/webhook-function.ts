import { z } from 'zod';
import { parseSettings } from './errors.js';
import { ALWAYS } from './settings.js';
import { type StoreConfig, storeConfigOf, storeShape } from './store-config.js';
import {
  checkWebhook,
  type WebhookConfig,
  type WebhookSecretsParser,
  webhookConfigOf,
  webhookShape,
} from './webhook-config.js';

/**
 * The webhook's schema (lib/config/functions.ts has the others'), in a module of its own so that
 * the webhook loads neither the Meeting nor the lifecycle settings: it never calls Meeting, and
 * their schemas would be built at its cold start for nothing.
 */
type Env = Record<string, string | undefined>;

export interface WebhookFunctionConfig {
  readonly store: StoreConfig;
  readonly webhook: WebhookConfig;
  /** The FIFO queue the events go to (set by serverless.yml). */
  readonly queueUrl: string;
  /** Partitions the idempotency records (pk = IDEMPOTENCY#<functionName>). */
  readonly functionName: string;
}

export const queueUrl = z.lazy(() => z.url());

export const parseWebhookFunctionConfig = (
  env: Env,
  parseSecrets: WebhookSecretsParser,
): WebhookFunctionConfig =>
  parseSettings(
    z
      .object({
        ...storeShape(),
        ...webhookShape(parseSecrets),
        QUEUE_URL: queueUrl,
        AWS_LAMBDA_FUNCTION_NAME: z.string().min(1).max(140).default('hr-webhook'),
      })
      .superRefine(checkWebhook, ALWAYS)
      .transform((e) =>
        Object.freeze({
          store: storeConfigOf(e),
          webhook: webhookConfigOf(e, parseSecrets),
          queueUrl: e.QUEUE_URL,
          functionName: e.AWS_LAMBDA_FUNCTION_NAME,
        }),
      ),
    env,
  );
