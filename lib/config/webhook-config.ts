import { z } from 'zod';
import { MAX_MESSAGE_BODY_BYTES } from '../queue/types.js';
import type { Secret } from '../shared/secret.js';
import { checkSecretPair, int, parameterName, type SecretSetting, secretSettingOf } from './settings.js';

/**
 * Parses WEBHOOK_SECRETS into Secrets or throws a message naming the bad entry, never its value.
 * Injected (lib/webhook's parseWebhookSecrets) so lib/config does not depend on lib/webhook.
 */
export type WebhookSecretsParser = (raw: string) => Secret[];

/** The parser as a schema, so a bad value is an issue of the setting like any other. */
const secretsSchema = (parse: WebhookSecretsParser) =>
  z.string().transform((raw, ctx): readonly Secret[] => {
    try {
      return Object.freeze(parse(raw));
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : 'not valid' });
      return z.NEVER;
    }
  });

export const webhookShape = (parse: WebhookSecretsParser) => ({
  WEBHOOK_SECRETS: secretsSchema(parse).optional(),
  WEBHOOK_SECRETS_PARAM: parameterName.optional(),
  // Each event of a body becomes one queue message, so a body may be no larger than one message.
  WEBHOOK_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(MAX_MESSAGE_BODY_BYTES, `at most ${MAX_MESSAGE_BODY_BYTES} (what one queue message carries)`)
    .default(MAX_MESSAGE_BODY_BYTES),
  WEBHOOK_TOLERANCE_SECONDS: int(300, 1, 3600),
  WEBHOOK_MAX_EVENTS: int(100, 1, 1000),
});

export interface WebhookConfig {
  /** The active secrets (several during a rotation). */
  readonly secrets: SecretSetting<readonly Secret[]>;
  readonly maxBodyBytes: number;
  readonly toleranceSeconds: number;
  readonly maxEvents: number;
}

export const checkWebhook = (e: Record<string, unknown>, ctx: z.RefinementCtx): void =>
  checkSecretPair('WEBHOOK_SECRETS', e, ctx, true);

export const webhookConfigOf = (
  e: z.output<z.ZodObject<ReturnType<typeof webhookShape>>>,
  parse: WebhookSecretsParser,
): WebhookConfig =>
  Object.freeze({
    secrets: secretSettingOf(
      'WEBHOOK_SECRETS',
      e.WEBHOOK_SECRETS,
      e.WEBHOOK_SECRETS_PARAM,
      secretsSchema(parse),
    )!,
    maxBodyBytes: e.WEBHOOK_MAX_BODY_BYTES,
    toleranceSeconds: e.WEBHOOK_TOLERANCE_SECONDS,
    maxEvents: e.WEBHOOK_MAX_EVENTS,
  });
