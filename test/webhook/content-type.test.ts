import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../lib/shared/secret.js';
import { signWebhook } from '../../lib/webhook/sign.js';
import { createWebhookVerifier } from '../../lib/webhook/verify.js';
import { fixedClock, SECRET_A } from './oracle.js';

const NOW = 1_767_576_600;
const BODY = JSON.stringify({ type: 'employee.hired' });
const verifier = createWebhookVerifier({ secrets: [new Secret(SECRET_A)], clock: fixedClock(NOW) });
const headers = signWebhook({ secret: SECRET_A, id: 'msg_1', timestamp: NOW, body: BODY });
const verdict = (contentType: string | undefined) => {
  const result = verifier.verify(
    contentType === undefined ? headers : { ...headers, 'content-type': contentType },
    BODY,
  );
  return result.ok ? 'ok' : `${result.error.status} ${result.error.code}`;
};

/** RFC 9110 §8.3.1 media types; charset absent or utf-8 (any case, quoted or not). */
const ACCEPTED: readonly string[] = [
  'application/json',
  'APPLICATION/JSON',
  'application/json; charset=utf-8',
  'application/json; charset=UTF-8',
  'application/json; Charset=Utf-8',
  'application/json;charset=utf-8',
  'application/json ;  charset=utf-8',
  'application/json;\tcharset=utf-8',
  'application/json; charset="utf-8"',
  'application/json; charset="UTF-8"',
  'application/json; charset=utf-8; version=1',
  'application/json; profile="https://example.com/a;b"; charset=utf-8',
  'application/json;',
  'application/json;; charset=utf-8',
  'application/cloudevents+json; charset=utf-8',
];

/** Another charset, an ambiguous one, or parameters RFC 9110 does not allow. */
const REFUSED: readonly (readonly [string, RegExp])[] = [
  ['application/json; charset=utf-16', /charset must be utf-8/],
  ['application/json; charset=UTF-16LE', /charset must be utf-8/],
  ['application/json; charset=utf-32', /charset must be utf-8/],
  ['application/json; charset=latin1', /charset must be utf-8/],
  ['application/json; charset=iso-8859-1', /charset must be utf-8/],
  ['application/json; charset=us-ascii', /charset must be utf-8/],
  ['application/json; charset=windows-1252', /charset must be utf-8/],
  ['application/json; charset=gb2312', /charset must be utf-8/],
  // Not the registered name: a reader that does not know the spelling falls back to its own default.
  ['application/json; charset=utf8', /charset must be utf-8/],
  ['application/json; charset=csUTF8', /charset must be utf-8/],
  ['application/json; charset=""', /charset must be utf-8/],
  ['application/json; charset=utf-8; charset=utf-16', /charset more than once/],
  ['application/json; charset=utf-8; CHARSET=utf-8', /charset more than once/],
  ['application/json; charset = utf-8', /malformed/],
  ['application/json; charset="utf-8', /malformed/],
  ['application/json; charset', /malformed/],
  ['application/json; charset=utf-8 utf-16', /malformed/],
  ['application/json, text/plain', /malformed/],
  ['text/plain; charset=utf-8', /must be application\/json/],
  ['application/jsonx', /must be application\/json/],
  ['', /must be application\/json/],
];

describe('webhook content type', () => {
  it('refuses a request without a content type (415)', () => {
    const result = verifier.verify(headers, BODY);
    expect(!result.ok && result.error).toEqual({
      status: 415,
      code: 'unsupported_media_type',
      message: 'content-type is required: application/json',
    });
  });

  it.each(ACCEPTED)('accepts %j', (contentType) => {
    expect(verdict(contentType)).toBe('ok');
  });

  it.each(REFUSED)('refuses %j with 415 and a clear message', (contentType, message) => {
    const result = verifier.verify({ ...headers, 'content-type': contentType }, BODY);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toEqual({
      status: 415,
      code: 'unsupported_media_type',
      message: expect.stringMatching(message),
    });
  });

  it('checks the webhook headers before the media type', () => {
    const unsigned = verifier.verify({ 'content-type': 'application/json; charset=utf-16' }, BODY);
    expect(!unsigned.ok && unsigned.error.status).toBe(400);
  });

  it('refuses a UTF-16 body for its charset (415), not as undecodable bytes (400)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(BODY, 'utf16le')]);
    const result = verifier.verify({ ...headers, 'content-type': 'application/json; charset=utf-16' }, utf16);
    expect(!result.ok && result.error.code).toBe('unsupported_media_type');
  });
});

describe('webhook content encoding', () => {
  const withEncoding = (encoding: string, body: string | Uint8Array = BODY) =>
    verifier.verify({ ...headers, 'content-type': 'application/json', 'content-encoding': encoding }, body);

  it.each([
    ['gzip', '"gzip"'],
    ['GZIP', '"gzip"'],
    ['br', '"br"'],
    ['deflate', '"deflate"'],
    ['identity, gzip', '"gzip"'],
    ['x-gzip', '"x-gzip"'],
    ['gzip;q=1 <script>', ''],
  ])('refuses %j with 415, naming it only if it is a token', (encoding, named) => {
    const result = withEncoding(encoding);
    expect(!result.ok && result.error).toEqual({
      status: 415,
      code: 'unsupported_content_encoding',
      message: `content-encoding${named ? ` ${named}` : ''} is not supported: send the body uncompressed (identity)`,
    });
  });

  it('refuses a gzip body for its encoding, before reading it as text; takes identity only', () => {
    const result = withEncoding('gzip', gzipSync(BODY));
    expect(!result.ok && result.error.code).toBe('unsupported_content_encoding');
    for (const identity of ['identity', 'IDENTITY', ' identity ', 'identity, identity']) {
      expect(withEncoding(identity).ok, identity).toBe(true);
    }
  });
});
