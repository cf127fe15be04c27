import { timingSafeEqual } from 'node:crypto';
import { systemClock } from '../shared/clock.js';
import { isSecret } from '../shared/secret.js';
import { bodyExceeds, bodyText } from './body-text.js';
import {
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_TOLERANCE_SECONDS,
  MAX_ACTIVE_SECRETS,
  MAX_SIGNATURE_ENTRIES,
  MAX_SIGNATURE_HEADER_CHARS,
  MAX_WEBHOOK_ID_CHARS,
  WEBHOOK_HEADERS,
} from './constants.js';
import { WebhookConfigError } from './errors.js';
import { checkContentEncoding, checkJsonContentType } from './media-type.js';
import { readHeaders } from './read-headers.js';
import { webhookSignerFor } from './secrets.js';
import {
  type VerifyResult,
  WEBHOOK_REJECTION,
  type WebhookHeaderRecord,
  type WebhookVerifier,
  type WebhookVerifierOptions,
} from './types.js';

const CONTENT_TYPE = 'content-type';
const CONTENT_ENCODING = 'content-encoding';
const WANTED = [
  WEBHOOK_HEADERS.id,
  WEBHOOK_HEADERS.timestamp,
  WEBHOOK_HEADERS.signature,
  CONTENT_TYPE,
  CONTENT_ENCODING,
];
const WEBHOOK_ID = new RegExp(`^[\\x21-\\x7e]{1,${MAX_WEBHOOK_ID_CHARS}}$`);
const TIMESTAMP = /^[0-9]{1,12}$/;

const reject = (kind: keyof typeof WEBHOOK_REJECTION, message: string): VerifyResult => ({
  ok: false,
  error: { ...WEBHOOK_REJECTION[kind], message },
});

const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  // Length is not secret (every v1 signature is 44 base64 characters); the content comparison is.
  return left.length === right.length && timingSafeEqual(left, right);
};

const checkOptions = (options: WebhookVerifierOptions) => {
  const {
    secrets,
    toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
    maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
    clock = systemClock,
  } = options;
  if (!Array.isArray(secrets) || secrets.length === 0 || secrets.length > MAX_ACTIVE_SECRETS) {
    throw new WebhookConfigError(`webhook verifier: 1-${MAX_ACTIVE_SECRETS} secrets are required`);
  }
  if (!Number.isFinite(toleranceSeconds) || toleranceSeconds < 0) {
    throw new WebhookConfigError('webhook verifier: toleranceSeconds must be a number >= 0');
  }
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 1) {
    throw new WebhookConfigError('webhook verifier: maxBodyBytes must be a positive integer');
  }
  const signers = secrets.map((secret, i) => {
    if (!isSecret(secret)) throw new WebhookConfigError(`webhook verifier: secret ${i + 1} is not a Secret`);
    return webhookSignerFor(secret.reveal(), `${i + 1} of ${secrets.length}`);
  });
  return { signers, toleranceSeconds, maxBodyBytes, clock };
};

/**
 * Standard Webhooks verification with our own rules around the library's signature math.
 *
 * The library's `verify` is not used: it checks the timestamp against `Date.now()` with a fixed
 * 5-minute window (no injected clock, no configurable tolerance), parses the timestamp leniently
 * (`parseInt("12abc")` is 12) and JSON-parses the body. So the checks are done here and only the
 * library's `sign` is used (HMAC-SHA256 over `id.timestamp.body`, base64), compared in constant
 * time with every `v1` entry of the header, for every active secret.
 *
 * Order: the body size first (before any HMAC work), then headers, then how the body is
 * encoded (Content-Encoding, Content-Type and its charset), then the body's text and the
 * signature. The encoding comes before the text: a UTF-16 or gzip body is refused as such (415),
 * not as undecodable bytes (400), and the signature is computed over text the library reads as
 * UTF-8 only.
 */
export const createWebhookVerifier = (options: WebhookVerifierOptions): WebhookVerifier => {
  const { signers, toleranceSeconds, maxBodyBytes, clock } = checkOptions(options);

  const matches = (id: string, timestamp: number, body: string, sent: readonly string[]): boolean =>
    signers.some((signer) => {
      const expected = signer.sign(id, new Date(timestamp * 1000), body).slice('v1,'.length);
      return sent.some((candidate) => sameText(candidate, expected));
    });

  const verifyUnsafe = (headers: WebhookHeaderRecord, rawBody: string | Uint8Array): VerifyResult => {
    if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
      return reject('badBody', 'body must be text or bytes');
    }
    if (bodyExceeds(rawBody, maxBodyBytes)) {
      return reject('bodyTooLarge', `body is larger than ${maxBodyBytes} bytes`);
    }
    const lookup = readHeaders(headers, WANTED);
    if (!lookup.ok)
      return reject('ambiguousHeaders', `header ${lookup.name} is given twice with different values`);

    const id = lookup.get(WEBHOOK_HEADERS.id);
    const timestampHeader = lookup.get(WEBHOOK_HEADERS.timestamp);
    const signatureHeader = lookup.get(WEBHOOK_HEADERS.signature);
    if (!id || !timestampHeader || !signatureHeader) {
      const missing = WANTED.slice(0, 3).filter((name) => !lookup.get(name));
      return reject(
        'missingHeaders',
        `missing header${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`,
      );
    }
    if (!WEBHOOK_ID.test(id)) {
      return reject('badWebhookId', `webhook-id must be 1-${MAX_WEBHOOK_ID_CHARS} visible ASCII characters`);
    }
    if (!TIMESTAMP.test(timestampHeader)) {
      return reject('badTimestamp', 'webhook-timestamp must be Unix time in whole seconds');
    }
    const timestamp = Number(timestampHeader);
    const now = Math.floor(clock.now() / 1000);
    if (Math.abs(now - timestamp) > toleranceSeconds) {
      const direction = timestamp < now ? 'too old' : 'too far in the future';
      return reject('staleTimestamp', `webhook-timestamp is ${direction} (tolerance ${toleranceSeconds} s)`);
    }

    const encoding = checkContentEncoding(lookup.get(CONTENT_ENCODING));
    if (!encoding.ok) return reject('unsupportedEncoding', encoding.message);
    const mediaType = checkJsonContentType(lookup.get(CONTENT_TYPE));
    if (!mediaType.ok) return reject('unsupportedMediaType', mediaType.message);

    const body = bodyText(rawBody);
    if (body === undefined) return reject('badBody', 'body is not valid UTF-8 text');

    if (signatureHeader.length > MAX_SIGNATURE_HEADER_CHARS) {
      return reject('badSignature', 'webhook-signature header is too long');
    }
    const entries = signatureHeader.split(' ').filter(Boolean);
    if (entries.length > MAX_SIGNATURE_ENTRIES) {
      return reject('badSignature', `webhook-signature has more than ${MAX_SIGNATURE_ENTRIES} entries`);
    }
    const sent = entries.filter((entry) => entry.startsWith('v1,')).map((entry) => entry.slice('v1,'.length));
    if (sent.length === 0) return reject('badSignature', 'webhook-signature has no v1 signature');
    if (!matches(id, timestamp, body, sent)) {
      return reject('badSignature', 'webhook-signature does not match any active secret');
    }
    return { ok: true, webhookId: id, timestamp, body };
  };

  return {
    verify: (headers, rawBody) => {
      try {
        return verifyUnsafe(headers, rawBody);
      } catch {
        // Unreachable by design; fail closed rather than throw into the handler.
        return reject('badSignature', 'the delivery could not be verified');
      }
    },
  };
};
