import type { Secret } from '../shared/secret.js';
import { bodyText } from './body-text.js';
import { WEBHOOK_ERROR_KIND, WebhookError } from './errors.js';
import { revealSecret, webhookSignerFor } from './secrets.js';
import type { WebhookSignatureHeaders } from './types.js';

export interface SignWebhookInput {
  readonly secret: Secret | string;
  /** The `webhook-id`: unique per message, kept across the sender's retries. */
  readonly id: string;
  /** Unix seconds (fractions are dropped). */
  readonly timestamp: number;
  readonly body: string | Uint8Array;
}

/**
 * Signs a delivery the Standard Webhooks way (the library's `sign`) and returns the three
 * headers to send with the body. For tests, local tools and the local demo; senders in
 * production sign on their side.
 */
export const signWebhook = (input: SignWebhookInput): WebhookSignatureHeaders => {
  const signer = webhookSignerFor(revealSecret(input.secret), 'to sign with');
  const body = bodyText(input.body);
  if (body === undefined)
    throw new WebhookError('signWebhook: body is not valid UTF-8 text', WEBHOOK_ERROR_KIND.input);
  if (!Number.isFinite(input.timestamp) || input.timestamp < 0) {
    throw new WebhookError('signWebhook: timestamp must be Unix seconds', WEBHOOK_ERROR_KIND.input);
  }
  const timestamp = Math.floor(input.timestamp);
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signer.sign(input.id, new Date(timestamp * 1000), body),
  };
};
