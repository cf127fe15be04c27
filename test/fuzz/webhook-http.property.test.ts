import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPath } from '../../lib/events/delivery-errors.js';
import { type HrEvent, hrEventSchema } from '../../lib/events/schemas.js';
import { DUPLICATE_KEY_MESSAGE } from '../../lib/events/strict-json.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { withDuplicate } from '../events/duplicate-keys.js';
import { specSignature } from '../webhook/oracle.js';
import { edgeDelivery, expectedEvents, validEvent } from './event-arbitraries.js';
import { postRaw, type RawReply } from './raw-http.js';
import {
  acceptableEvents,
  type FuzzedRequest,
  fuzzedRequest,
  newWebhookSecret,
  nowSeconds,
  utf8,
  type WebhookTarget,
} from './webhook-requests.js';

const target: WebhookTarget = {
  secrets: [newWebhookSecret(), newWebhookSecret()],
  maxBodyBytes: 8192,
  toleranceSeconds: 300,
};
const sentIds = new Set<string>();

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    env: {
      WEBHOOK_SECRETS: target.secrets.join(' '),
      WEBHOOK_MAX_BODY_BYTES: String(target.maxBodyBytes),
      WEBHOOK_TOLERANCE_SECONDS: String(target.toleranceSeconds),
    },
    startWorker: false,
  });
});
afterAll(() => stack?.stop());

/** 202, or a 4xx with a JSON `{ error: { code, message } }`; never a 5xx. */
const expectWellFormedAnswer = (reply: RawReply) => {
  expect(reply.status, reply.text).toBeLessThan(500);
  expect(reply.contentType).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(reply.text);
  if (reply.status < 300) expect(reply.status).toBe(202);
  else {
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(body).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    });
  }
};

/**
 * Sends one request; checks the answer, and that the queue got exactly this delivery's events
 * (normalised, one FIFO message per event grouped by employee) or nothing at all.
 */
/**
 * Independent of the schemas: nothing queued carries a lone surrogate anywhere or a control
 * character in member text (what the fuzzer's badText injects).
 */
const expectCleanText = (event: HrEvent) => {
  const strings: string[] = [];
  JSON.stringify(event, (_key, value: unknown) => {
    if (typeof value === 'string') strings.push(value);
    return value;
  });
  expect(
    strings.filter((s) => !s.isWellFormed()),
    'lone surrogates queued',
  ).toEqual([]);
  const text = Object.values(event.member).filter((v): v is string => typeof v === 'string');
  expect(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
    text.filter((s) => /[\x00-\x1f\x7f-\x9f]/.test(s)),
    'control characters queued',
  ).toEqual([]);
};

const sendAndCheck = async (request: FuzzedRequest, acceptable: HrEvent[] | undefined) => {
  for (const [name, value] of request.headers) if (name.toLowerCase() === 'webhook-id') sentIds.add(value);
  const before = stack.queue.stats().sent;
  const reply = await postRaw(stack.webhookUrl, request.headers, request.body);
  expectWellFormedAnswer(reply);
  const queued = stack.queue.messages().slice(before);
  if (reply.status !== 202) {
    expect(queued, 'nothing is queued for a refused delivery').toEqual([]);
    return reply;
  }
  expect(acceptable, 'accepted only when correctly signed, in time and schema-valid').toBeDefined();
  for (const message of queued) {
    const event = hrEventSchema.parse(JSON.parse(message.body));
    expectCleanText(event);
    const sent = acceptable?.find((e) => e.id === message.deduplicationId);
    expect(sent, 'every queued event was part of this delivery').toBeDefined();
    expect(event).toEqual(JSON.parse(JSON.stringify(sent)));
    expect(message.groupId).toBe(sent?.employeeId);
  }
  return reply;
};

/** Headers a correct sender sends for `body`. */
const signedHeaders = (body: Uint8Array): [string, string][] => {
  const id = `msg_${randomUUID()}`;
  const ts = String(nowSeconds());
  return [
    ['webhook-id', id],
    ['webhook-timestamp', ts],
    ['webhook-signature', specSignature(target.secrets.at(-1)!, id, ts, body)],
    ['content-type', 'application/json'],
  ];
};

describe('HR webhook over HTTP (fuzzed)', () => {
  it('answers any request with 202 or a JSON 4xx, and accepts only correctly signed, schema-valid deliveries', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fuzzedRequest(target, sentIds), async (request) => {
        const reply = await sendAndCheck(request, acceptableEvents(target, request));
        if (request.mustAccept) expect(reply.status, reply.text).toBe(202);
        if (reply.status === 202) accepted++;
      }),
      { numRuns: 300 },
    );
    expect(accepted, 'the fuzzer reached the accepting path').toBeGreaterThan(20);
  });

  it('accepts a correctly signed delivery exactly when its events match the schema, whatever the values', async () => {
    await fc.assert(
      fc.asyncProperty(edgeDelivery({ queueSafeIds: false }), async (value) => {
        const body = utf8(JSON.stringify(value));
        const expected = expectedEvents(value);
        const reply = await sendAndCheck(
          { headers: signedHeaders(body), body, mustAccept: !!expected },
          expected,
        );
        expect(reply.status, reply.text).toBe(expected ? 202 : 422);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a signed delivery with a duplicate key injected at any depth: 400, its path, nothing queued', async () => {
    const delivery = fc.oneof(
      validEvent('D1', 1),
      fc.array(
        fc.nat(999).chain((n) => validEvent(`D${n}`, n)),
        { minLength: 1, maxLength: 3 },
      ),
    );
    await fc.assert(
      fc.asyncProperty(withDuplicate(delivery as fc.Arbitrary<never>), async ({ text, path }) => {
        const body = utf8(text);
        const reply = await sendAndCheck(
          { headers: signedHeaders(body), body, mustAccept: false },
          undefined,
        );
        const expected = formatPath('$', path);
        expect(reply.status, reply.text).toBe(400);
        expect(JSON.parse(reply.text)).toEqual({
          error: {
            code: 'duplicate_key',
            message: `body has a duplicate key at ${expected}`,
            details: [
              {
                ...(typeof path[0] === 'number' && { index: path[0] }),
                path: expected,
                message: DUPLICATE_KEY_MESSAGE,
              },
            ],
          },
        });
      }),
      { numRuns: 100 },
    );
  });

  it('refuses bytes that are not UTF-8 even when signed over their lossy decoding', async () => {
    // The sender signed "Zo\uFFFD" but sent the byte 0xFF: bytes nobody signed must not be accepted.
    const event = { type: 'employee.hired', id: `evt-${randomUUID()}`, employeeId: 'U1', version: 1 };
    const [head, tail] = JSON.stringify({
      ...event,
      member: { name: 'Zo#', email: 'u1@corp.example' },
    }).split('#');
    const body = Uint8Array.of(...utf8(head!), 0xff, ...utf8(tail!));
    const headers = signedHeaders(utf8(Buffer.from(body).toString('utf8')));
    const reply = await postRaw(stack.webhookUrl, headers, body);
    expect(reply.status, reply.text).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'bad_body' } });
  });

  it('answers a body over the 10 MB API Gateway limit with a JSON 413, not a dropped connection', async () => {
    const body = new Uint8Array(10 * 1024 * 1024 + 1);
    const reply = await postRaw(stack.webhookUrl, [['content-type', 'application/json']], body);
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: expect.any(String) } });
  });
});
