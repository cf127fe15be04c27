import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../../shared/secret.js';

/** Header names (lower case; lookups are case-insensitive). docs/connectors.md "BambooHR". */
export const BAMBOOHR_HEADERS = {
  timestamp: 'x-bamboohr-timestamp',
  signature: 'x-bamboohr-signature',
} as const;

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

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
): boolean => {
  if (!HEX_SHA256.test(signature)) return false;
  const sent = Buffer.from(signature, 'hex');
  return privateKeys
    .map((key) =>
      timingSafeEqual(sent, Buffer.from(bambooHrSignature(key.reveal(), rawBody, timestamp), 'hex')),
    )
    .some(Boolean);
};
