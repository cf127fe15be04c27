import { createHash } from 'node:crypto';
import { sameHexDigest } from '../http-input.js';

/** Request signature headers (lower case). docs/connectors.md "Feishu/Lark". */
export const FEISHU_HEADERS = {
  timestamp: 'x-lark-request-timestamp',
  nonce: 'x-lark-request-nonce',
  signature: 'x-lark-signature',
} as const;

/**
 * Feishu's request signature: lower-case hex SHA-256 (not an HMAC) of the UTF-8 bytes of
 * timestamp + nonce + Encrypt Key, followed by the raw body bytes (the encrypted body, so it is
 * checked before decrypting). As the official SDKs compute it, over the raw bytes like the Go and
 * Python SDKs (the Node SDK re-serialises the parsed body, which we do not copy).
 */
export const feishuSignature = (
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string | Uint8Array,
): string =>
  createHash('sha256').update(`${timestamp}${nonce}${encryptKey}`, 'utf8').update(rawBody).digest('hex');

export const verifyFeishuSignature = (
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: string | Uint8Array,
  signature: string,
): boolean => sameHexDigest(signature, feishuSignature(timestamp, nonce, encryptKey, rawBody));
