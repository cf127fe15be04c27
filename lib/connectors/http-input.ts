import { createHash, timingSafeEqual } from 'node:crypto';
import { parseStrictJson } from '../events/strict-json.js';
import { bodyText } from '../webhook/body-text.js';
import { checkContentEncoding, checkJsonContentType } from '../webhook/media-type.js';
import { readHeaders } from '../webhook/read-headers.js';
import { type ConnectorRejection, rejection } from './errors.js';
import type { ConnectorRequest } from './types.js';

export const CONTENT_TYPE = 'content-type';
export const CONTENT_ENCODING = 'content-encoding';
/** The optional headers every connector reads besides its own. */
export const BODY_HEADERS = [CONTENT_TYPE, CONTENT_ENCODING] as const;

/**
 * Absent counts as JSON (some senders omit it); otherwise the webhook's rule: application/json
 * or a +json type, charset absent or utf-8 (a body has one meaning, read as UTF-8 only).
 */
export const isJsonMediaType = (contentType: string | undefined): boolean =>
  contentType === undefined || contentType.trim() === '' || checkJsonContentType(contentType).ok;

/**
 * How the body is encoded, checked before it is decoded or parsed, as on /hr/events: no content
 * coding but `identity` (a gzip body would be read as broken JSON), then a JSON media type.
 * `mediaTypeMessage` says what the vendor's console calls the JSON format.
 */
export const checkBodyFormat = (
  get: (name: string) => string | undefined,
  mediaTypeMessage: string,
): ConnectorRejection | undefined => {
  const encoding = checkContentEncoding(get(CONTENT_ENCODING));
  if (!encoding.ok) return rejection('unsupportedEncoding', encoding.message);
  return isJsonMediaType(get(CONTENT_TYPE)) ? undefined : rejection('unsupportedMediaType', mediaTypeMessage);
};

export type Checked<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly rejection: ConnectorRejection };

/** The wanted headers, each required; ambiguous spellings (two values) are refused. */
export const requiredHeaders = <const K extends string>(
  request: ConnectorRequest,
  names: readonly K[],
  optional: readonly string[] = [],
): Checked<{ readonly values: Record<K, string>; readonly get: (name: string) => string | undefined }> => {
  const lookup = readHeaders(request.headers, [...names, ...optional]);
  if (!lookup.ok) {
    return {
      ok: false,
      rejection: rejection('ambiguousHeaders', `header ${lookup.name} is given twice with different values`),
    };
  }
  const missing = names.filter((name) => !lookup.get(name));
  if (missing.length > 0) {
    return {
      ok: false,
      rejection: rejection(
        'missingHeaders',
        `missing header${missing.length === 1 ? '' : 's'}: ${missing.join(', ')}`,
      ),
    };
  }
  const values = Object.fromEntries(names.map((name) => [name, lookup.get(name)!])) as Record<K, string>;
  return { ok: true, value: { values, get: lookup.get } };
};

/** The body as well-formed text, then parsed as a JSON object. Messages never quote the body. */
export const parseJsonObject = (
  rawBody: string | Uint8Array,
): Checked<{ text: string; json: Record<string, unknown> }> => {
  const text = bodyText(rawBody);
  if (text === undefined)
    return { ok: false, rejection: rejection('badBody', 'body is not valid UTF-8 text') };
  // A signed body must have one meaning: duplicate keys are refused at any depth, as on /hr/events.
  const parsed = parseStrictJson(text);
  if (!parsed.ok && parsed.problem === 'syntax') {
    return { ok: false, rejection: rejection('malformedJson', 'body is not valid JSON') };
  }
  if (!parsed.ok) {
    return { ok: false, rejection: rejection('duplicateKey', `body has a duplicate key at ${parsed.path}`) };
  }
  const json = parsed.value;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, rejection: rejection('invalidPayload', 'body must be a JSON object') };
  }
  return { ok: true, value: { text, json: json as Record<string, unknown> } };
};

export const sha256Hex = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** Constant-time check of a sent hex SHA-256 digest against ours; anything but 64 hex digits fails. */
export const sameHexDigest = (sent: string, expected: string): boolean =>
  HEX_SHA256.test(sent) && timingSafeEqual(Buffer.from(sent, 'hex'), Buffer.from(expected, 'hex'));
