import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../lib/shared/secret.js';
import { WebhookConfigError } from '../../lib/webhook/errors.js';
import { signWebhook } from '../../lib/webhook/sign.js';
import { createWebhookVerifier } from '../../lib/webhook/verify.js';
import { fixedClock, SECRET_A, SECRET_B, SECRET_OLD, specSignature } from './oracle.js';

const NOW = 1_767_576_600;
const BODY = JSON.stringify({ type: 'employee.hired', member: { name: '张伟 👩‍💻' } });
const verifier = createWebhookVerifier({
  secrets: [new Secret(SECRET_A), new Secret(SECRET_B)],
  clock: fixedClock(NOW),
});
const signed = (overrides: { secret?: string; timestamp?: number; body?: string | Uint8Array } = {}) => ({
  'content-type': 'application/json',
  ...signWebhook({
    secret: overrides.secret ?? SECRET_A,
    id: 'msg_1',
    timestamp: overrides.timestamp ?? NOW,
    body: overrides.body ?? BODY,
  }),
});
const codeOf = (
  headers: Record<string, string | undefined>,
  body: string | Uint8Array = BODY,
  v = verifier,
) => {
  const result = v.verify(headers, body);
  return result.ok ? 'ok' : `${result.error.status} ${result.error.code}`;
};

describe('signWebhook', () => {
  it('matches the spec computed independently, and the library verifies it', () => {
    const headers = signWebhook({ secret: SECRET_A, id: 'msg_x', timestamp: NOW + 0.9, body: BODY });
    expect(headers).toEqual({
      'webhook-id': 'msg_x',
      'webhook-timestamp': String(NOW),
      'webhook-signature': specSignature(SECRET_A, 'msg_x', NOW, BODY),
    });
    const fresh = signWebhook({
      secret: new Secret(SECRET_B),
      id: 'msg_y',
      timestamp: Date.now() / 1000,
      body: BODY,
    });
    expect(new Webhook(SECRET_B).verify(BODY, { ...fresh })).toEqual(JSON.parse(BODY));
  });
});

describe('createWebhookVerifier', () => {
  it('accepts a correct signature and returns id, timestamp and the body text', () => {
    expect(verifier.verify(signed(), BODY)).toEqual({
      ok: true,
      webhookId: 'msg_1',
      timestamp: NOW,
      body: BODY,
    });
    const bytes = new TextEncoder().encode(`\uFEFF${BODY}`);
    const result = verifier.verify(signed({ body: bytes }), bytes);
    expect(result.ok && result.body).toBe(`\uFEFF${BODY}`);
  });

  it('reads headers case-insensitively but refuses conflicting spellings', () => {
    const { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } = signed();
    expect(
      codeOf({
        'Webhook-Id': id,
        'WEBHOOK-TIMESTAMP': ts,
        'Webhook-Signature': sig,
        'Content-Type': 'application/json',
      }),
    ).toBe('ok');
    expect(codeOf({ ...signed(), 'Webhook-Id': 'msg_2' })).toBe('400 ambiguous_headers');
    expect(codeOf({ ...signed(), 'Webhook-Id': 'msg_1' })).toBe('ok');
  });

  it('accepts any v1 entry from any active secret (rotation), and only those', () => {
    const good = signed({ secret: SECRET_B })['webhook-signature'];
    const junk = `v1,${Buffer.alloc(32).toString('base64')} v2,${good.slice(3)} v1a,x ,,,`;
    expect(codeOf({ ...signed(), 'webhook-signature': `${junk} ${good}` })).toBe('ok');
    expect(codeOf({ ...signed(), 'webhook-signature': junk })).toBe('401 bad_signature');
    expect(codeOf(signed({ secret: SECRET_OLD }))).toBe('401 bad_signature');
    const rotating = createWebhookVerifier({
      secrets: [new Secret(SECRET_A), new Secret(SECRET_OLD)],
      clock: fixedClock(NOW),
    });
    expect(codeOf(signed({ secret: SECRET_OLD }), BODY, rotating)).toBe('ok');
  });

  it('rejects any change to the signed content', () => {
    expect(codeOf(signed(), `${BODY} `)).toBe('401 bad_signature');
    expect(codeOf({ ...signed(), 'webhook-id': 'msg_2' })).toBe('401 bad_signature');
    expect(codeOf({ ...signed(), 'webhook-timestamp': String(NOW + 1) })).toBe('401 bad_signature');
  });

  it('checks the timestamp against the injected clock, both ways, with a configurable tolerance', () => {
    expect(codeOf(signed({ timestamp: NOW - 300 }))).toBe('ok');
    expect(codeOf(signed({ timestamp: NOW + 300 }))).toBe('ok');
    expect(codeOf(signed({ timestamp: NOW - 301 }))).toBe('401 stale_timestamp');
    expect(codeOf(signed({ timestamp: NOW + 301 }))).toBe('401 stale_timestamp');
    const strict = createWebhookVerifier({
      secrets: [new Secret(SECRET_A)],
      toleranceSeconds: 10,
      clock: fixedClock(NOW),
    });
    expect(codeOf(signed({ timestamp: NOW - 10 }), BODY, strict)).toBe('ok');
    expect(codeOf(signed({ timestamp: NOW - 11 }), BODY, strict)).toBe('401 stale_timestamp');
  });

  it.each(['12abc', '-5', '1.5', ' 1767576600', '1e9', '0x69', '1767576600000000'])(
    'rejects timestamp %j',
    (ts) => {
      expect(codeOf({ ...signed(), 'webhook-timestamp': ts })).toBe('400 bad_timestamp');
    },
  );

  it('names missing headers, and checks the webhook-id shape', () => {
    const result = verifier.verify({ 'webhook-id': 'msg_1', 'webhook-signature': '' }, BODY);
    expect(!result.ok && result.error.message).toBe('missing headers: webhook-timestamp, webhook-signature');
    expect(codeOf({ ...signed(), 'webhook-id': 'msg 1' })).toBe('400 bad_webhook_id');
    expect(codeOf({ ...signed(), 'webhook-id': 'x'.repeat(257) })).toBe('400 bad_webhook_id');
  });

  it('refuses oversized bodies first, counting UTF-8 bytes', () => {
    const small = createWebhookVerifier({
      secrets: [new Secret(SECRET_A)],
      maxBodyBytes: 10,
      clock: fixedClock(NOW),
    });
    expect(codeOf({}, 'x'.repeat(11), small)).toBe('413 body_too_large');
    expect(codeOf({}, 'é'.repeat(6), small)).toBe('413 body_too_large');
    expect(codeOf({}, new Uint8Array(11), small)).toBe('413 body_too_large');
    expect(codeOf(signed({ body: 'é'.repeat(5) }), 'é'.repeat(5), small)).toBe('ok');
  });

  it('refuses bodies that are not well-formed text, and non-JSON content types', () => {
    const invalidUtf8 = Uint8Array.of(0x7b, 0xff, 0x7d);
    expect(codeOf(signed({ body: '{\uFFFD}' }), invalidUtf8)).toBe('400 bad_body');
    expect(codeOf(signed(), `{\uD800}`)).toBe('400 bad_body');
    expect(codeOf(signed(), 42 as unknown as string)).toBe('400 bad_body');
    const { 'content-type': _, ...withoutType } = signed();
    expect(codeOf({ ...withoutType, 'Content-Type': 'text/plain' })).toBe('415 unsupported_media_type');
    // The webhook headers come first; the media type then comes before the body is read as
    // text, so before the signature (a UTF-16 or gzip body is refused as such).
    expect(codeOf({ 'content-type': 'text/plain' })).toBe('400 missing_headers');
    expect(codeOf({ ...signed({ secret: SECRET_OLD }), 'content-type': 'text/plain' })).toBe(
      '415 unsupported_media_type',
    );
    expect(codeOf({ ...signed(), 'content-type': 'application/json; charset=utf-8' })).toBe('ok');
    expect(codeOf({ ...signed(), 'content-type': 'application/cloudevents-batch+json' })).toBe('ok');
  });

  it('never puts secrets or signatures in its answers, and never throws on odd input', () => {
    const headers = signed();
    const inputs: [unknown, unknown][] = [
      [{ ...headers, 'webhook-timestamp': String(NOW - 999) }, BODY],
      [{ ...headers, 'webhook-id': 'other' }, BODY],
      [null, BODY],
      [{ 'webhook-id': ['a', 'b'], 'webhook-timestamp': 1, 'webhook-signature': {} }, BODY],
      [Object.create(null), new Uint8Array()],
      [{ ...headers, 'webhook-signature': 'v1,'.repeat(5000) }, BODY],
    ];
    for (const [h, body] of inputs) {
      const result = verifier.verify(h as Record<string, string>, body as string);
      expect(result.ok).toBe(false);
      const text = JSON.stringify(result);
      for (const secret of [SECRET_A, SECRET_B]) expect(text).not.toContain(secret.slice(6, 20));
      expect(text).not.toContain(headers['webhook-signature'].slice(3));
    }
  });

  it('validates its options up front', () => {
    expect(() => createWebhookVerifier({ secrets: [] })).toThrow(WebhookConfigError);
    expect(() => createWebhookVerifier({ secrets: [SECRET_A as unknown as Secret] })).toThrow(
      /secret 1 is not a Secret/,
    );
    expect(() => createWebhookVerifier({ secrets: [new Secret('whsec_short')] })).toThrow(/secret 1 of 1 /);
    expect(() => createWebhookVerifier({ secrets: [new Secret(SECRET_A)], toleranceSeconds: -1 })).toThrow(
      WebhookConfigError,
    );
    expect(() => createWebhookVerifier({ secrets: [new Secret(SECRET_A)], maxBodyBytes: 0 })).toThrow(
      WebhookConfigError,
    );
  });
});

describe('verifying raw bytes received over HTTP', () => {
  const live = createWebhookVerifier({ secrets: [new Secret(SECRET_A)] });
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const result = live.verify(request.headers as Record<string, string>, Buffer.concat(chunks));
      response.writeHead(result.ok ? 204 : result.error.status).end();
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hr/events`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('accepts a signed unicode body and rejects a tampered one', async () => {
    const headers = signWebhook({
      secret: SECRET_A,
      id: 'msg_http',
      timestamp: Date.now() / 1000,
      body: BODY,
    });
    const post = (body: string) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post(BODY)).status).toBe(204);
    expect((await post(BODY.replace('张', '李'))).status).toBe(401);
  });
});
