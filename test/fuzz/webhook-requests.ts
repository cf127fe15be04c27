import { randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { HrEvent } from '../../lib/events/schemas.js';
import { specSignature } from '../webhook/oracle.js';
import { edgeDelivery, expectedEvents, validEvent } from './event-arbitraries.js';

/**
 * Raw webhook requests for fuzzing over HTTP: each part (body, webhook-id, timestamp,
 * signature, content type, header presence and spelling) is either right or one of many ways
 * of being wrong, and the oracles judge the result from the spec, not from our verifier.
 */

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

export interface WebhookTarget {
  /** Active secrets, oldest first. */
  readonly secrets: readonly string[];
  readonly maxBodyBytes: number;
  readonly toleranceSeconds: number;
}

export interface FuzzedRequest {
  readonly headers: [string, string][];
  readonly body: Uint8Array;
  /** Every part is unambiguously right: the delivery must be accepted. */
  readonly mustAccept: boolean;
}

/** Seconds around the tolerance edge where client and server clocks may round differently. */
const EDGE_SECONDS = 2;
const PARTS = [
  'body',
  'id',
  'timestamp',
  'signature',
  'contentType',
  'contentEncoding',
  'idHeader',
  'tsHeader',
  'sigHeader',
] as const;
type Part = (typeof PARTS)[number];

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const textOf = (bytes: Uint8Array): string | undefined => {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
};
const jsonOf = (text: string | undefined): unknown => {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
};

/** Content types, and whether a receiver must take them (JSON media types read as UTF-8) or not. */
const CONTENT_TYPES: readonly (readonly [string | undefined, boolean])[] = [
  [undefined, false],
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['APPLICATION/JSON', true],
  ['application/cloudevents+json', true],
  ['text/plain', false],
  ['application/x-www-form-urlencoded', false],
  ['multipart/form-data; boundary=x', false],
  ['application/jsonx', false],
  ['application/json; charset="UTF-8"', true],
  ['application/json; charset=utf-16', false],
  ['application/json; charset=iso-8859-1', false],
  ['application/json; charset=utf-8; charset=utf-16', false],
];
const jsonMediaType = (type: string | undefined) => CONTENT_TYPES.some(([t, ok]) => ok && t === type);
/** Content codings: none or identity is taken; a compressed (or unknown) coding never is. */
const CONTENT_ENCODINGS: readonly (readonly [string | undefined, boolean])[] = [
  [undefined, true],
  ['identity', true],
  ['IDENTITY', true],
  ['gzip', false],
  ['br', false],
  ['deflate', false],
  ['gzip, identity', false],
  ['x-unknown', false],
];
const identityEncoding = (coding: string | undefined) =>
  CONTENT_ENCODINGS.some(([c, ok]) => ok && c === coding);

const GOOD_SIGNATURES = ['new', 'old', 'amongJunk'] as const;
const BAD_SIGNATURES = [
  'wrongSecret',
  'truncated',
  'v2',
  'upperV',
  'otherBody',
  'otherTimestamp',
  'tooManyEntries',
  'empty',
] as const;
type SignatureKind = (typeof GOOD_SIGNATURES)[number] | (typeof BAD_SIGNATURES)[number];

/** Picks `good` unless the part is one of those this request breaks. */
const part = <T>(broken: readonly Part[], name: Part, good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>) =>
  broken.includes(name) ? bad : good;

const spelling = (name: string) =>
  fc.constantFrom(
    name,
    name.toUpperCase(),
    name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase()),
  );
const presence = (broken: readonly Part[], name: Part) =>
  part(broken, name, fc.constant('once'), fc.constantFrom('missing', 'twice', 'twiceOther'));

/** The header lines for one header: once, missing, or twice (same or another value). */
const lines = (name: string, presenceOf: string, value: string, other: string): [string, string][] =>
  presenceOf === 'missing'
    ? []
    : presenceOf === 'once'
      ? [[name, value]]
      : [
          [name, value],
          [name.toLowerCase(), presenceOf === 'twice' ? value : other],
        ];

const validBody = fc
  .array(
    fc.tuple(fc.stringMatching(/^[A-Z][0-9]{1,6}$/), fc.maxSafeNat()).chain(([id, v]) => validEvent(id, v)),
    { minLength: 1, maxLength: 3 },
  )
  .map((events) => utf8(JSON.stringify(events.length === 1 ? events[0] : events)));

const oddBody = (maxBytes: number) =>
  fc.oneof(
    { weight: 3, arbitrary: edgeDelivery({ queueSafeIds: true }).map((d) => utf8(JSON.stringify(d))) },
    fc.uint8Array({ maxLength: 600 }),
    fc.json({ maxDepth: 3 }).map(utf8),
    fc.string({ unit: 'binary', maxLength: 300 }).map(utf8),
    // Sizes around the limit: valid JSON padded with trailing spaces.
    fc
      .tuple(validBody, fc.constantFrom(maxBytes - 1, maxBytes, maxBytes + 1, 4 * maxBytes))
      .map(([bytes, size]) =>
        Uint8Array.of(...bytes, ...new Uint8Array(Math.max(0, size - bytes.length)).fill(0x20)),
      ),
    fc.constantFrom(
      utf8(''),
      utf8('{'),
      utf8('null'),
      utf8('\ufeff{}'),
      Uint8Array.of(0xc3, 0x28),
      Uint8Array.of(0xed, 0xa0, 0x80),
    ),
  );

const timestamp = (tolerance: number) => {
  const inTime = [0, 1, -1, 120, -(tolerance - 3), tolerance - 3];
  const edges = [-tolerance, tolerance, -(tolerance + 3), tolerance + 3, -3600, 86_400];
  return {
    good: fc.record({ offset: fc.constantFrom(...inTime), format: fc.constant('seconds') }),
    bad: fc.oneof(
      fc.record({ offset: fc.constantFrom(...edges), format: fc.constant('seconds') }),
      fc.record({
        offset: fc.constantFrom(...inTime),
        format: fc.constantFrom('millis', 'fraction', 'spaced', 'signed', 'words'),
      }),
    ),
  };
};
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

const junk = fc.array(
  fc.oneof(
    fc.base64String({ minLength: 44, maxLength: 44 }).map((s) => `v1,${s}`),
    fc.string({ unit: fc.constantFrom(...'abcv12,=+/'), maxLength: 20 }),
  ),
  { minLength: 1, maxLength: 4 },
);

const signatureValue = (
  target: WebhookTarget,
  kind: SignatureKind,
  signed: { id: string; ts: string; body: Uint8Array },
  extra: string[],
  cut: number,
) => {
  const [oldest, newest] = [target.secrets[0]!, target.secrets.at(-1)!];
  const sign = (secret: string, ts = signed.ts, body = signed.body) =>
    specSignature(secret, signed.id, ts, body);
  const forms: Record<SignatureKind, () => string> = {
    new: () => sign(newest),
    old: () => sign(oldest),
    amongJunk: () => [...extra, sign(oldest), ...extra].join(' '),
    wrongSecret: () => sign(newWebhookSecret()),
    truncated: () => sign(newest).slice(0, 3 + (cut % 44)),
    v2: () => sign(newest).replace(/^v1,/, 'v2,'),
    upperV: () => sign(newest).replace(/^v1,/, 'V1,'),
    otherBody: () => sign(newest, signed.ts, Uint8Array.of(...signed.body, 0x20)),
    otherTimestamp: () => sign(newest, String(Number(signed.ts) + 1)),
    tooManyEntries: () => [...Array.from({ length: 20 }, () => extra[0]!), sign(newest)].join(' '),
    empty: () => '',
  };
  return forms[kind]();
};

/** Requests of which about a quarter are entirely right and the rest break one or two parts. */
export const fuzzedRequest = (
  target: WebhookTarget,
  sentIds: ReadonlySet<string>,
): fc.Arbitrary<FuzzedRequest> =>
  fc
    .oneof(fc.constant([] as Part[]), {
      weight: 3,
      arbitrary: fc.subarray([...PARTS], { minLength: 1, maxLength: 2 }),
    })
    .chain((broken) => {
      const ts = timestamp(target.toleranceSeconds);
      return fc.record({
        body: part(broken, 'body', validBody, oddBody(target.maxBodyBytes)),
        id: part(
          broken,
          'id',
          fc.constant(null).map(() => `msg_${randomUUID()}`),
          fc.constantFrom('', 'a b', 'x'.repeat(257), `é${randomUUID()}`),
        ),
        timestamp: part(broken, 'timestamp', ts.good, ts.bad),
        signature: part<SignatureKind>(
          broken,
          'signature',
          fc.constantFrom(...GOOD_SIGNATURES),
          fc.constantFrom(...BAD_SIGNATURES),
        ),
        contentType: part(
          broken,
          'contentType',
          fc.constantFrom(...CONTENT_TYPES.filter(([, ok]) => ok)),
          fc.constantFrom(...CONTENT_TYPES.filter(([, ok]) => !ok)),
        ),
        contentEncoding: part(
          broken,
          'contentEncoding',
          fc.constantFrom(...CONTENT_ENCODINGS.filter(([, ok]) => ok)),
          fc.constantFrom(...CONTENT_ENCODINGS.filter(([, ok]) => !ok)),
        ),
        idHeader: fc.tuple(spelling('webhook-id'), presence(broken, 'idHeader')),
        tsHeader: fc.tuple(spelling('webhook-timestamp'), presence(broken, 'tsHeader')),
        sigHeader: fc.tuple(spelling('webhook-signature'), presence(broken, 'sigHeader')),
        junk,
        cut: fc.nat(),
        noise: fc.array(
          fc.tuple(
            fc.stringMatching(/^x-[a-z0-9-]{1,12}$/),
            fc.string({ unit: fc.constantFrom(...'abc ;=,-_'), maxLength: 20 }),
          ),
          { maxLength: 3 },
        ),
      });
    })
    .map((r) => {
      const ts = renderTimestamp(r.timestamp);
      const signature = signatureValue(target, r.signature, { id: r.id, ts, body: r.body }, r.junk, r.cut);
      const correct = specSignature(target.secrets.at(-1)!, r.id, ts, r.body);
      const headers: [string, string][] = [
        ...lines(r.idHeader[0], r.idHeader[1], r.id, `msg_${randomUUID()}`),
        ...lines(r.tsHeader[0], r.tsHeader[1], ts, String(nowSeconds())),
        ...lines(r.sigHeader[0], r.sigHeader[1], signature, correct),
        ...(r.contentType[0] === undefined ? [] : [['Content-Type', r.contentType[0]] as [string, string]]),
        ...(r.contentEncoding[0] === undefined
          ? []
          : [['Content-Encoding', r.contentEncoding[0]] as [string, string]]),
        ...r.noise,
      ];
      const text = textOf(r.body);
      const mustAccept =
        [r.idHeader, r.tsHeader, r.sigHeader].every(([, p]) => p === 'once') &&
        /^[\x21-\x7e]{1,256}$/.test(r.id) &&
        !sentIds.has(r.id) &&
        r.timestamp.format === 'seconds' &&
        Math.abs(r.timestamp.offset) <= target.toleranceSeconds - EDGE_SECONDS &&
        (GOOD_SIGNATURES as readonly string[]).includes(r.signature) &&
        jsonMediaType(r.contentType[0]) &&
        identityEncoding(r.contentEncoding[0]) &&
        r.body.byteLength <= target.maxBodyBytes &&
        expectedEvents(jsonOf(text)) !== undefined;
      return { headers, body: r.body, mustAccept };
    });

/**
 * Necessary conditions of a 202, from the request alone: a `v1` entry that is the HMAC of an
 * active secret over a sent id, a sent timestamp within tolerance and the exact body bytes; a
 * UTF-8 body within the limit; a JSON media type; no content coding but identity; events the published schemas
 * accept. Returns those events (what may be queued), or undefined when a 202 would be wrong.
 */
export const acceptableEvents = (target: WebhookTarget, request: FuzzedRequest): HrEvent[] | undefined => {
  const values = (name: string) =>
    request.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
  const entries = values('webhook-signature').flatMap((v) => v.split(' '));
  const signed = values('webhook-id').some((id) =>
    values('webhook-timestamp').some(
      (ts) =>
        /^[0-9]+$/.test(ts) &&
        Math.abs(Number(ts) - nowSeconds()) <= target.toleranceSeconds + EDGE_SECONDS &&
        target.secrets.some((secret) => entries.includes(specSignature(secret, id, ts, request.body))),
    ),
  );
  const contentType = values('content-type')[0];
  const contentEncoding = values('content-encoding')[0];
  const text = textOf(request.body);
  if (
    !signed ||
    !jsonMediaType(contentType) ||
    !identityEncoding(contentEncoding) ||
    text === undefined ||
    request.body.byteLength > target.maxBodyBytes
  ) {
    return undefined;
  }
  return expectedEvents(jsonOf(text));
};
