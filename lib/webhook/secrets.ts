import { Webhook } from 'standardwebhooks';
import { isSecret, Secret } from '../shared/secret.js';
import { MAX_ACTIVE_SECRETS, SECRET_MAX_BYTES, SECRET_MIN_BYTES, SECRET_PREFIX } from './constants.js';
import { WebhookConfigError } from './errors.js';

/**
 * A fixed secret for local runs, the local demo and tests, used only when WEBHOOK_SECRETS is
 * unset outside AWS. It is public (it is in this repository), so it must NEVER be configured in
 * production: anyone could sign deliveries with it.
 */
export const LOCAL_TEST_SECRET = 'whsec_bWVldGluZy1saWZlY3ljbGUtbG9jYWwtb25seS1rZXk=';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const EXPECTED = `expected ${SECRET_PREFIX} followed by base64 of ${SECRET_MIN_BYTES}-${SECRET_MAX_BYTES} bytes`;

/**
 * Checks one `whsec_` value and returns the library signer for it. `label` names the entry in
 * errors ("entry 2 of 3"); the value itself is never put in a message.
 */
export const webhookSignerFor = (value: string, label: string): Webhook => {
  const encoded = value.startsWith(SECRET_PREFIX) ? value.slice(SECRET_PREFIX.length) : undefined;
  if (encoded === undefined || encoded.length % 4 !== 0 || !BASE64.test(encoded)) {
    throw new WebhookConfigError(`webhook secret ${label} is not valid: ${EXPECTED}`);
  }
  const bytes = Buffer.from(encoded, 'base64').length;
  if (bytes < SECRET_MIN_BYTES || bytes > SECRET_MAX_BYTES) {
    throw new WebhookConfigError(`webhook secret ${label} decodes to ${bytes} bytes: ${EXPECTED}`);
  }
  try {
    return new Webhook(value);
  } catch (error) {
    // The library's messages ("Secret can't be empty.", base64 errors) never contain the key.
    throw new WebhookConfigError(`webhook secret ${label} was refused by the signing library`, {
      cause: error,
    });
  }
};

/**
 * Parses WEBHOOK_SECRETS: one or more space-separated `whsec_` secrets (several during a
 * rotation). Throws WebhookConfigError naming the bad entry's position, never its value.
 */
export const parseWebhookSecrets = (value: string): Secret[] => {
  const entries = typeof value === 'string' ? value.trim().split(/\s+/).filter(Boolean) : [];
  if (entries.length === 0) throw new WebhookConfigError(`webhook secrets: none given; ${EXPECTED}`);
  if (entries.length > MAX_ACTIVE_SECRETS) {
    throw new WebhookConfigError(`webhook secrets: ${entries.length} given, at most ${MAX_ACTIVE_SECRETS}`);
  }
  return entries.map((entry, i) => {
    webhookSignerFor(entry, `entry ${i + 1} of ${entries.length}`);
    return new Secret(entry);
  });
};

/** Accepts a Secret or a plain string (local tools), for APIs that take either. */
export const revealSecret = (secret: Secret | string): string =>
  isSecret(secret) ? secret.reveal() : secret;
