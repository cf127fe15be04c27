import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HrEvent, hrEventSchema } from '../../lib/events/schemas.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { specSignature } from '../webhook/oracle.js';
import { edgeDelivery, expectedEvents } from './event-arbitraries.js';
import { postRaw, type RawReply } from './raw-http.js';

const newWebhookSecret = () => `whsec_${randomBytes(32).toString('base64')}`;
const OLD = newWebhookSecret();
const NEW = newWebhookSecret();
const MAX_BODY = 8192;
const TOLERANCE = 300;
/** Seconds around the tolerance edge where client and server clocks may round differently. */
const EDGE = 2;

let stack: LocalStack;
beforeAll(async () => {
  stack = await startLocalStack({
    env: {
      WEBHOOK_SECRETS: `${OLD} ${NEW}`,
      WEBHOOK_MAX_BODY_BYTES: String(MAX_BODY),
      WEBHOOK_TOLERANCE_SECONDS: String(TOLERANCE),
    },
    startWorker: false,
  });
});
afterAll(() => stack?.stop());

const nowSeconds = () => Math.floor(Date.now() / 1000);
const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const textOf = (bytes: Uint8Array): string | undefined => {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
};
const jsonOf = (text: string | undefined): { value: unknown } | undefined => {
  try {
    return text === undefined ? undefined : { value: JSON.parse(text) };
  } catch {
    return undefined;
  }
};

/** Content types with whether a receiver must take them (JSON media types) or not. */
const CONTENT_TYPES: readonly [string | undefined, boolean][] = [
  [undefined, true],
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['APPLICATION/JSON', true],
  ['application/cloudevents+json', true],
  ['text/plain', false],
  ['application/x-www-form-urlencoded', false],
  ['multipart/form-data; boundary=x', false],
  ['application/jsonx', false],
];

const sentIds = new Set<string>();

interface Delivery {
  readonly headers: [string, string][];
  readonly body: Uint8Array;
  /** True when every part is unambiguously right: the delivery must be accepted. */
  readonly mustAccept: boolean;
}

/** Applies the case variant and the duplicate/missing choice to one header. */
const header = (name: string) =>
  fc.record({
    spelling: fc.constantFrom(name, name.toUpperCase(), name.replace(/(^|-)([a-z])/g, (_, d, c) => d + c.toUpperCase())),
    presence: fc.constantFrom('once', 'once', 'once', 'once', 'missing', 'twice', 'twiceOther'),
  });
const lines = (h: { spelling: string; presence: string }, value: string, other: string): [string, string][] =>
  h.presence === 'missing'
    ? []
    : h.presence === 'once'
      ? [[h.spelling, value]]
      : [
          [h.spelling, value],
          [h.spelling.toLowerCase(), h.presence === 'twice' ? value : other],
        ];

const SIGNATURE_KINDS = [
  'new',
  'old',
  'amongJunk',
  'wrongSecret',
  'truncated',
  'v2',
  'upperV',
  'otherBody',
  'otherTimestamp',
  'tooManyEntries',
  'empty',
] as const;
const junk = fc.array(
  fc.oneof(
    fc.base64String({ minLength: 44, maxLength: 44 }).map((s) => `v1,${s}`),
    fc.string({ unit: fc.constantFrom(...'abcv12,=+/'), maxLength: 20 }),
  ),
  { minLength: 1, maxLength: 4 },
);

const signatureHeader = (kind: (typeof SIGNATURE_KINDS)[number], id: string, ts: string, body: Uint8Array, extra: string[], cut: number) => {
  const sign = (secret: string, signedTs = ts, signedBody = body) => specSignature(secret, id, signedTs, signedBody);
  switch (kind) {
    case 'new':
      return sign(NEW);
    case 'old':
      return sign(OLD);
    case 'amongJunk':
      return [...extra, sign(OLD), ...extra].join(' ');
    case 'wrongSecret':
      return sign(newWebhookSecret());
    case 'truncated':
      return sign(NEW).slice(0, 3 + (cut % 44));
    case 'v2':
      return sign(NEW).replace(/^v1,/, 'v2,');
    case 'upperV':
      return sign(NEW).replace(/^v1,/, 'V1,');
    case 'otherBody':
      return sign(NEW, ts, Uint8Array.of(...body, 0x20));
    case 'otherTimestamp':
      return sign(NEW, String(Number(ts) + 1));
    case 'tooManyEntries':
      return [...Array.from({ length: 20 }, () => extra[0] ?? 'v1,x'), sign(NEW)].join(' ');
    case 'empty':
      return '';
  }
};

/** Bodies: deliveries at the schema's edges, raw bytes, JSON-ish, unicode text, sizes around the limit. */
const body = fc.oneof(
  { weight: 5, arbitrary: edgeDelivery({ queueSafeIds: true }).map((d) => utf8(JSON.stringify(d))) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }) },
  { weight: 1, arbitrary: fc.json({ maxDepth: 3 }).map(utf8) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }).map(utf8) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(edgeDelivery({ queueSafeIds: true }), fc.constantFrom(MAX_BODY - 1, MAX_BODY, MAX_BODY + 1, 4 * MAX_BODY))
      .map(([d, size]) => {
        const json = JSON.stringify(d);
        return utf8(json + ' '.repeat(Math.max(0, size - Buffer.byteLength(json))));
      }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      utf8(''),
      utf8('{'),
      utf8('null'),
      utf8('\ufeff{}'),
      Uint8Array.of(0xc3, 0x28),
      Uint8Array.of(0xed, 0xa0, 0x80),
    ),
  },
);

const timestamp = fc.record({
  offset: fc.constantFrom(0, 1, -1, 120, -TOLERANCE + 3, TOLERANCE - 3, -TOLERANCE, TOLERANCE, -TOLERANCE - 3, TOLERANCE + 3, -3600, 86_400),
  format: fc.constantFrom('seconds', 'seconds', 'seconds', 'millis', 'fraction', 'spaced', 'signed', 'words'),
});
const renderTimestamp = ({ offset, format }: { offset: number; format: string }) => {
  const t = nowSeconds() + offset;
  const forms: Record<string, string> = {
    seconds: String(t),
    millis: String(t * 1000),
    fraction: `${t}.5`,
    spaced: ` ${t}`,
    signed: `+${t}`,
    words: 'yesterday',
  };
  return forms[format]!;
};

const webhookId = fc.oneof(
  { weight: 8, arbitrary: fc.constant(null).map(() => `msg_${randomUUID()}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a b', 'x'.repeat(257)) },
  { weight: 1, arbitrary: fc.constant(null).map(() => `é${randomUUID()}`) },
);

const delivery: fc.Arbitrary<Delivery> = fc
  .record({
    body,
    id: webhookId,
    timestamp,
    signature: fc.constantFrom(...SIGNATURE_KINDS),
    junk,
    cut: fc.nat(),
    contentType: fc.constantFrom(...CONTENT_TYPES),
    idHeader: header('webhook-id'),
    tsHeader: header('webhook-timestamp'),
    sigHeader: header('webhook-signature'),
    noise: fc.array(
      fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,12}$/), fc.string({ unit: fc.constantFrom(...'abc ;=,-_'), maxLength: 20 })),
      { maxLength: 3 },
    ),
  })
  .map((r) => {
    const ts = renderTimestamp(r.timestamp);
    const signature = signatureHeader(r.signature, r.id, ts, r.body, r.junk, r.cut);
    const headers: [string, string][] = [
      ...lines(r.idHeader, r.id, `msg_${randomUUID()}`),
      ...lines(r.tsHeader, ts, String(nowSeconds())),
      ...lines(r.sigHeader, signature, specSignature(NEW, r.id, ts, r.body)),
      ...(r.contentType[0] === undefined ? [] : ([['Content-Type', r.contentType[0]]] as [string, string][])),
      ...r.noise,
    ];
    const fresh = !sentIds.has(r.id);
    const text = textOf(r.body);
    const mustAccept =
      [r.idHeader, r.tsHeader, r.sigHeader].every((h) => h.presence === 'once') &&
      /^[\x21-\x7e]{1,256}$/.test(r.id) &&
      fresh &&
      r.timestamp.format === 'seconds' &&
      Math.abs(r.timestamp.offset) <= TOLERANCE - EDGE &&
      ['new', 'old', 'amongJunk'].includes(r.signature) &&
      r.contentType[1] &&
      text !== undefined &&
      r.body.byteLength <= MAX_BODY &&
      expectedEvents(jsonOf(text)?.value) !== undefined;
    return { headers, body: r.body, mustAccept };
  });

/**
 * Necessary conditions of a 202, from the request alone (spec oracle, not our verifier): a
 * `v1` entry that is the HMAC of an active secret over a sent id and timestamp and the exact
 * body, a timestamp within tolerance, a UTF-8 body within the limit, a JSON media type, and
 * events the published schemas accept.
 */
const mayAccept = ({ headers, body: bytes }: Delivery): HrEvent[] | undefined => {
  const values = (name: string) => headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const entries = values('webhook-signature').flatMap((v) => v.split(' '));
  const signed = values('webhook-id').some((id) =>
    values('webhook-timestamp').some(
      (ts) =>
        /^[0-9]+$/.test(ts) &&
        Math.abs(Number(ts) - nowSeconds()) <= TOLERANCE + EDGE &&
        [OLD, NEW].some((secret) => entries.includes(specSignature(secret, id, ts, bytes))),
    ),
  );
  const contentType = values('content-type')[0];
  const jsonType = contentType === undefined || CONTENT_TYPES.some(([type, ok]) => ok && type === contentType);
  const text = textOf(bytes);
  if (!signed || !jsonType || text === undefined || bytes.byteLength > MAX_BODY) return undefined;
  return expectedEvents(jsonOf(text)?.value);
};

/** 202, or a 4xx with a JSON error body; never a 5xx. Returns the parsed body. */
const expectWellFormedAnswer = (reply: RawReply): Record<string, unknown> => {
  expect(reply.status, reply.text).toBeLessThan(500);
  expect(reply.contentType).toMatch(/^application\/json/);
  const parsed = JSON.parse(reply.text) as Record<string, unknown>;
  if (reply.status < 300) expect(reply.status).toBe(202);
  else {
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(parsed).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
  }
  return parsed;
};

/** Sends one delivery and checks the answer and what reached the queue. */
const sendAndCheck = async (d: Delivery, expected: HrEvent[] | undefined) => {
  for (const [name, value] of d.headers) if (name.toLowerCase() === 'webhook-id') sentIds.add(value);
  const before = stack.queue.stats().sent;
  const reply = await postRaw(stack.webhookUrl, d.headers, d.body);
  expectWellFormedAnswer(reply);
  const queued = stack.queue.messages().slice(before);
  if (reply.status !== 202) {
    expect(queued, 'nothing is queued for a refused delivery').toEqual([]);
    return reply;
  }
  expect(expected, 'accepted only if correctly signed, in time, and schema-valid').toBeDefined();
  for (const message of queued) {
    const event = hrEventSchema.parse(JSON.parse(message.body));
    const sent = expected!.find((e) => e.id === message.deduplicationId);
    expect(sent, 'every queued event was part of this delivery').toBeDefined();
    expect(event).toEqual(JSON.parse(JSON.stringify(sent)));
    expect(message.groupId).toBe(sent!.employeeId);
  }
  return reply;
};

describe('HR webhook over HTTP (fuzzed)', () => {
  it('answers any request with 202 or a JSON 4xx, and accepts only correctly signed, schema-valid deliveries', async () => {
    await fc.assert(
      fc.asyncProperty(delivery, async (d) => {
        const reply = await sendAndCheck(d, mayAccept(d));
        if (d.mustAccept) expect(reply.status, reply.text).toBe(202);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts a correctly signed delivery exactly when its events match the schema, whatever the values', async () => {
    await fc.assert(
      fc.asyncProperty(edgeDelivery({ queueSafeIds: false }), async (value) => {
        const bytes = utf8(JSON.stringify(value));
        const id = `msg_${randomUUID()}`;
        const ts = String(nowSeconds());
        const headers: [string, string][] = [
          ['webhook-id', id],
          ['webhook-timestamp', ts],
          ['webhook-signature', specSignature(NEW, id, ts, bytes)],
          ['content-type', 'application/json'],
        ];
        const expected = expectedEvents(value);
        const reply = await sendAndCheck({ headers, body: bytes, mustAccept: expected !== undefined }, expected);
        expect(reply.status, reply.text).toBe(expected ? 202 : 422);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses bytes that are not UTF-8 even when signed over their lossy decoding', async () => {
    // The sender signed "Zo\uFFFD" but sent the byte 0xFF: bytes nobody signed must not be accepted.
    const event = { type: 'employee.hired', id: `evt-${randomUUID()}`, employeeId: 'U1', version: 1, member: { name: 'Zo#', email: 'u1@corp.example' } };
    const [before, after] = JSON.stringify(event).split('#') as [string, string];
    const bytes = Uint8Array.of(...utf8(before), 0xff, ...utf8(after));
    const id = `msg_${randomUUID()}`;
    const ts = String(nowSeconds());
    const signedText = utf8(Buffer.from(bytes).toString('utf8'));
    const headers: [string, string][] = [
      ['webhook-id', id],
      ['webhook-timestamp', ts],
      ['webhook-signature', specSignature(NEW, id, ts, signedText)],
    ];
    const reply = await postRaw(stack.webhookUrl, headers, bytes);
    expect(reply.status, reply.text).toBe(400);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'bad_body' } });
  });

  it('answers a body over the 10 MB API Gateway limit with a JSON 413, not a dropped connection', async () => {
    const reply = await postRaw(stack.webhookUrl, [['content-type', 'application/json']], new Uint8Array(10 * 1024 * 1024 + 1));
    expect(reply.status).toBe(413);
    expect(JSON.parse(reply.text)).toMatchObject({ error: { code: expect.any(String) } });
  });
});
