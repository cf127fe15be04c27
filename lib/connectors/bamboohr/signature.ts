import { createHmac } from 'node:crypto';
import type { Secret } from '../../shared/secret.js';
import { sameHexDigest } from '../http-input.js';

/** Header names (lower case; lookups are case-insensitive). docs/connectors.md "BambooHR". */
export const BAMBOOHR_HEADERS = {
  timestamp: 'x-bamboohr-timestamp',
  signature: 'x-bamboohr-signature',
} as const;

/**
 * BambooHR's webhook signature: lower-case hex of HMAC-SHA256 keyed with the webhook's private
 * key over the raw body immediately followed by the X-BambooHR-Timestamp header value, as sent.
 * BambooHR documents the inputs (payload, timestamp, private key) but its sample was not
 * readable; the order and the hex encoding are those of every public implementation found
 * (docs/connectors.md, unconfirmed details). Written with node:crypto: BambooHR ships no Node SDK.
 */
export const bambooHrSignature = (
  privateKey: string,
  rawBody: string | Uint8Array,
  timestamp: string,
): string => createHmac('sha256', privateKey).update(rawBody).update(timestamp, 'utf8').digest('hex');

/** Constant-time check of a signature header against every active private key (rotation). */
export const verifyBambooHrSignature = (
  privateKeys: readonly Secret[],
  rawBody: string | Uint8Array,
  timestamp: string,
  signature: string,
): boolean =>
  // Every key is tried (no early exit), so the time taken does not tell which one matched.
  privateKeys
    .map((key) => sameHexDigest(signature, bambooHrSignature(key.reveal(), rawBody, timestamp)))
    .some(Boolean);
