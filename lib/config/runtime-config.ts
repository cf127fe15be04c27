import { z } from 'zod';
import { MAX_MESSAGE_BODY_BYTES } from '../queue/types.js';
import { ConfigError, withoutEmpty } from './meeting-config.js';

const parse = <T extends z.ZodType>(
  schema: T,
  env: Record<string, string | undefined>,
  what: string,
): z.infer<T> => {
  const parsed = schema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid ${what} configuration: ${detail}`);
  }
  return parsed.data;
};

const storeEnvSchema = z.object({
  TABLE_NAME: z.string().min(3).max(255),
  /** Local runs only (dynalite); unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
});

export interface StoreConfig {
  readonly tableName: string;
  readonly dynamoEndpoint?: string;
}

export const loadStoreConfig = (env: Record<string, string | undefined> = process.env): StoreConfig => {
  const e = parse(storeEnvSchema, env, 'store');
  return Object.freeze({
    tableName: e.TABLE_NAME,
    ...(e.DYNAMODB_ENDPOINT && { dynamoEndpoint: e.DYNAMODB_ENDPOINT }),
  });
};

const webhookEnvSchema = z.object({
  WEBHOOK_SECRETS: z.string().min(1, 'WEBHOOK_SECRETS (or WEBHOOK_SECRETS_PARAM) is required'),
  // Each event of a body becomes one queue message, so a body may be no larger than one message.
  WEBHOOK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(MAX_MESSAGE_BODY_BYTES, `at most ${MAX_MESSAGE_BODY_BYTES} (what one queue message carries)`)
    .default(MAX_MESSAGE_BODY_BYTES),
  WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  WEBHOOK_MAX_EVENTS: z.coerce.number().int().min(1).max(1000).default(100),
  QUEUE_URL: z.url().optional(),
});

export interface WebhookConfig {
  /** Space-separated whsec_ values; parsed into Secrets by lib/webhook. */
  readonly secrets: string;
  readonly maxBodyBytes: number;
  readonly toleranceSeconds: number;
  readonly maxEvents: number;
  readonly queueUrl?: string;
}

export const loadWebhookConfig = (env: Record<string, string | undefined> = process.env): WebhookConfig => {
  const e = parse(webhookEnvSchema, env, 'webhook');
  const config = {
    maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
    toleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS,
    maxEvents: e.WEBHOOK_MAX_EVENTS,
    ...(e.QUEUE_URL && { queueUrl: e.QUEUE_URL }),
  };
  // Kept out of enumerable fields so logging the config never prints the secrets.
  Object.defineProperty(config, 'secrets', { value: e.WEBHOOK_SECRETS, enumerable: false });
  return Object.freeze(config as WebhookConfig);
};
