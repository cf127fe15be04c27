/** Standard Webhooks header names (lower case; lookups are case-insensitive). */
export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** Clock skew accepted both ways; the Standard Webhooks reference libraries use 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
/** Larger bodies get 413 (one definition, shared with the worker's limit on queue messages). */
export { DEFAULT_MAX_BODY_BYTES } from '../events/constants.js';

/** Standard Webhooks secrets: "whsec_" + base64 of 24-64 random bytes. */
export const SECRET_PREFIX = 'whsec_';
export const SECRET_MIN_BYTES = 24;
export const SECRET_MAX_BYTES = 64;
/** Rotation needs two or three; the cap bounds HMAC work per request. */
export const MAX_ACTIVE_SECRETS = 10;

/** Bounds on attacker-controlled headers, checked before any HMAC work. */
export const MAX_WEBHOOK_ID_CHARS = 256;
export const MAX_SIGNATURE_HEADER_CHARS = 4096;
export const MAX_SIGNATURE_ENTRIES = 20;
