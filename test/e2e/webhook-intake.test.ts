import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { signWebhook } from '../../lib/webhook/sign.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { postSignedWebhook } from '../../local/webhook-client.js';
import { postRaw } from '../fuzz/raw-http.js';

const OLD_SECRET = `whsec_${Buffer.from('old-secret-for-rotation-test-0001').toString('base64')}`;
const NEW_SECRET = `whsec_${Buffer.from('new-secret-for-rotation-test-0002').toString('base64')}`;
const events = createHrEventFactory({ idPrefix: 'intake' });
let stack: LocalStack;

const hire = (n: number) => events(EVENT_TYPES.hired, `W${n}`, sampleMember(`W${n}`, n));
const queued = () => stack.queue.messages().map((m) => m.deduplicationId);
const utf8 = (text: string) => new TextEncoder().encode(text);
const errorCode = (body: Record<string, unknown>) => (body.error as { code: string } | undefined)?.code;

beforeAll(async () => {
  stack = await startLocalStack({
    env: { WEBHOOK_SECRETS: `${OLD_SECRET} ${NEW_SECRET}`, WEBHOOK_MAX_BODY_BYTES: '4096' },
    startWorker: false,
  });
});
afterAll(() => stack.stop());

describe('HR webhook over HTTP', () => {
  it('accepts a signed batch: 202, one FIFO message per event, grouped by employee', async () => {
    const batch = [hire(1), hire(2)];
    const res = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, batch);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toEqual(batch.map((e) => e.id));
    const messages = stack.queue.messages().filter((m) => batch.some((e) => e.id === m.deduplicationId));
    expect(messages.map((m) => m.groupId)).toEqual(['W1', 'W2']);
    expect(JSON.parse(messages[0]!.body)).toMatchObject({
      id: batch[0]!.id,
      type: 'employee.hired',
      employeeId: 'W1',
    });
  });

  it('accepts a signature from the previous secret during rotation', async () => {
    const event = hire(3);
    expect((await postSignedWebhook(stack.webhookUrl, OLD_SECRET, event)).status).toBe(202);
    expect(queued()).toContain(event.id);
  });

  it('recognises a redelivery by webhook-id and enqueues nothing twice', async () => {
    const event = hire(4);
    const first = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, event);
    const before = stack.queue.stats().sent;
    const again = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, event, {
      webhookId: first.webhookId,
    });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(stack.queue.stats().sent).toBe(before);
  });

  it('refuses a reused webhook-id with a different body (409)', async () => {
    const first = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, hire(5));
    const res = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, hire(6), {
      webhookId: first.webhookId,
    });
    expect(res.status).toBe(409);
    expect(errorCode(res.body)).toBe('webhook_id_reused');
  });

  it.each([
    ['unsigned', async () => fetch(stack.webhookUrl, { method: 'POST', body: JSON.stringify(hire(7)) }), 400],
    [
      'wrong secret',
      async () =>
        postSignedWebhook(
          stack.webhookUrl,
          `whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`,
          hire(8),
        ),
      401,
    ],
    [
      'stale',
      async () =>
        postSignedWebhook(stack.webhookUrl, NEW_SECRET, hire(9), {
          timestamp: Math.floor(Date.now() / 1000) - 301,
        }),
      401,
    ],
    [
      'from the future',
      async () =>
        postSignedWebhook(stack.webhookUrl, NEW_SECRET, hire(10), {
          timestamp: Math.floor(Date.now() / 1000) + 301,
        }),
      401,
    ],
    [
      'oversized',
      async () => postSignedWebhook(stack.webhookUrl, NEW_SECRET, { pad: 'x'.repeat(5000) }),
      413,
    ],
    ['malformed JSON', async () => postSignedWebhook(stack.webhookUrl, NEW_SECRET, '{"type":'), 400],
    [
      'duplicate keys',
      async () =>
        postSignedWebhook(
          stack.webhookUrl,
          NEW_SECRET,
          JSON.stringify(hire(12)).replace(/}$/, ',"type":"admin.granted"}'),
        ),
      400,
    ],
    [
      'a charset other than utf-8',
      async () =>
        postSignedWebhook(stack.webhookUrl, NEW_SECRET, hire(13), {
          headers: { 'content-type': 'application/json; charset=utf-16' },
        }),
      415,
    ],
    [
      'schema-invalid',
      async () => postSignedWebhook(stack.webhookUrl, NEW_SECRET, { ...hire(11), version: -1 }),
      422,
    ],
  ])('answers %s with a clear 4xx and enqueues nothing', async (_name, send, status) => {
    const before = stack.queue.stats().sent;
    const res = await send();
    const body = res instanceof Response ? ((await res.json()) as Record<string, unknown>) : res.body;
    expect(res.status).toBe(status);
    expect(errorCode(body)).toMatch(/^[a-z_]+$/);
    expect(stack.queue.stats().sent).toBe(before);
  });

  it('refuses a signed body whose duplicate key would turn a hire into an admin grant (400, path named)', async () => {
    const before = stack.queue.stats().sent;
    const body = JSON.stringify([hire(14), hire(15)]).replace(/}]$/, ',"type":"admin.granted"}]');
    const res = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: {
        code: 'duplicate_key',
        message: 'body has a duplicate key at $[1].type',
        details: [{ index: 1, path: '$[1].type', message: expect.stringMatching(/^duplicate key/) }],
      },
    });
    expect(stack.queue.stats().sent).toBe(before);
  });

  it('refuses text that is not well-formed Unicode or carries control characters (422, paths named)', async () => {
    const before = stack.queue.stats().sent;
    const member = sampleMember('W30', 30);
    // JSON.stringify writes a lone surrogate as its escape ("\ud800"), as the reviewer sent it.
    const loneName = { ...hire(30), member: { ...member, name: '\ud800x' } };
    const loneTitle = { ...hire(31), member: { ...member, title: '\ud83d' } };
    const control = { ...hire(32), member: { ...member, name: 'a\u0000\u001b[31mb' } };
    expect(JSON.stringify(loneName)).toContain('"name":"\\ud800x"');
    const details = async (event: object) => {
      const res = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, event);
      expect(res.status).toBe(422);
      expect(errorCode(res.body)).toBe('invalid_events');
      return (res.body.error as { details: unknown }).details;
    };
    expect(await details(loneName)).toEqual([
      { path: '$.member.name', message: 'must be well-formed Unicode (no unpaired surrogate)' },
    ]);
    expect(await details(loneTitle)).toEqual([
      { path: '$.member.title', message: 'must be well-formed Unicode (no unpaired surrogate)' },
    ]);
    expect(await details(control)).toEqual([
      {
        path: '$.member.name',
        message: 'must not contain control characters (U+0000-U+001F, U+007F-U+009F)',
      },
    ]);
    expect(stack.queue.stats().sent).toBe(before);
  });

  it('refuses what is not plain UTF-8 JSON before reading it: no content type, UTF-16, gzip (415)', async () => {
    const before = stack.queue.stats().sent;
    const send = async (event: object, headers: [string, string][], body?: Uint8Array) => {
      const text = JSON.stringify(event);
      const signed = signWebhook({
        secret: NEW_SECRET,
        id: `msg_${randomUUID()}`,
        timestamp: Math.floor(Date.now() / 1000),
        body: text,
      });
      const reply = await postRaw(
        stack.webhookUrl,
        [...Object.entries(signed), ...headers],
        body ?? utf8(text),
      );
      return { status: reply.status, body: JSON.parse(reply.text) as Record<string, unknown> };
    };
    const noType = await send(hire(40), []);
    expect(noType).toEqual({
      status: 415,
      body: {
        error: { code: 'unsupported_media_type', message: 'content-type is required: application/json' },
      },
    });
    const utf16Text = JSON.stringify(hire(41));
    const utf16 = await send(
      hire(41),
      [['content-type', 'application/json; charset=utf-16']],
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16Text, 'utf16le')]),
    );
    expect(utf16.status).toBe(415);
    expect(errorCode(utf16.body)).toBe('unsupported_media_type');
    const gzip = (event: object) => gzipSync(JSON.stringify(event));
    for (const [event, body] of [
      [hire(42), gzip(hire(42))],
      [hire(43), undefined],
    ] as const) {
      const res = await send(
        event,
        [
          ['content-type', 'application/json'],
          ['content-encoding', 'gzip'],
        ],
        body,
      );
      expect(res).toEqual({
        status: 415,
        body: {
          error: {
            code: 'unsupported_content_encoding',
            message: 'content-encoding "gzip" is not supported: send the body uncompressed (identity)',
          },
        },
      });
    }
    const identity = await send(hire(44), [
      ['content-type', 'application/json'],
      ['content-encoding', 'identity'],
    ]);
    expect(identity.status).toBe(202);
    expect(stack.queue.stats().sent).toBe(before + 1);
  });

  it('accepts utf-8 spelled in any case, quoted or not', async () => {
    for (const [n, contentType] of [
      'application/json; charset=UTF-8',
      'application/json;charset="utf-8"',
    ].entries()) {
      const res = await postSignedWebhook(stack.webhookUrl, NEW_SECRET, hire(16 + n), {
        headers: { 'content-type': contentType },
      });
      expect(res.status, contentType).toBe(202);
    }
  });

  it('never calls the Meeting API', () => {
    expect(stack.simulator?.counters().businessCalls).toBe(0);
    expect(stack.simulator?.counters().authAttempts).toBe(0);
  });
});
