import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../lib/shared/secret.js';
import { createWebhookVerifier } from '../../lib/webhook/verify.js';
import { fixedClock, specSignature } from './oracle.js';

const RUNS = { numRuns: 250 };
const TOLERANCE = 300;
const MAX_BYTES = 2048;

const secret = fc
  .uint8Array({ minLength: 24, maxLength: 64 })
  .map((b) => `whsec_${Buffer.from(b).toString('base64')}`);
const now = fc.integer({ min: 1_000_000_000, max: 4_000_000_000 });
const webhookId = fc.string({
  unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  minLength: 1,
  maxLength: 64,
});
/** Well-formed unicode text (lone surrogates become U+FFFD), sent as a string or as its UTF-8 bytes. */
const body = fc.tuple(fc.string({ unit: 'binary', maxLength: 400 }), fc.boolean()).map(([text, asBytes]) => {
  const wellFormed = Buffer.from(text).toString();
  return asBytes ? new Uint8Array(Buffer.from(wellFormed)) : wellFormed;
});
const headerCase = (name: string) =>
  fc.constantFrom(
    name,
    name.toUpperCase(),
    name.replace(/(^|-)([a-z])/g, (_, dash, c) => dash + c.toUpperCase()),
  );
const junkEntry = fc.oneof(
  fc.base64String({ minLength: 44, maxLength: 44 }).map((s) => `v1,${s}`),
  fc.base64String({ maxLength: 60 }).map((s) => `v2,${s}`),
  fc.string({ unit: 'binary-ascii', maxLength: 30 }).map((s) => s.replace(/\s/g, '')),
);

/** A correctly signed request: an active secret, a timestamp within tolerance, junk entries around the real one. */
const signedRequest = fc
  .record({
    secrets: fc.uniqueArray(secret, { minLength: 1, maxLength: 3 }),
    pick: fc.nat(),
    now,
    skew: fc.integer({ min: -TOLERANCE, max: TOLERANCE }),
    id: webhookId,
    body,
    junk: fc.array(junkEntry, { maxLength: 4 }),
    at: fc.nat(),
    names: fc.tuple(
      headerCase('webhook-id'),
      headerCase('webhook-timestamp'),
      headerCase('webhook-signature'),
    ),
  })
  .map((r) => {
    const timestamp = r.now + r.skew;
    const signature = specSignature(r.secrets[r.pick % r.secrets.length]!, r.id, timestamp, r.body);
    const entries = [...r.junk];
    entries.splice(r.at % (entries.length + 1), 0, signature);
    const headers = {
      [r.names[0]]: r.id,
      [r.names[1]]: String(timestamp),
      [r.names[2]]: entries.join(' '),
      'content-type': 'application/json',
    };
    return { ...r, timestamp, signature, headers };
  });

const verifierFor = (secrets: string[], nowSeconds: number) =>
  createWebhookVerifier({
    secrets: secrets.map((s) => new Secret(s)),
    clock: fixedClock(nowSeconds),
    maxBodyBytes: MAX_BYTES,
  });
const bytesOf = (b: string | Uint8Array) => (typeof b === 'string' ? Buffer.byteLength(b) : b.byteLength);

describe('createWebhookVerifier (properties)', () => {
  it('accepts every correctly signed request from any active secret within tolerance', () => {
    fc.assert(
      fc.property(signedRequest, (r) => {
        const result = verifierFor(r.secrets, r.now).verify(r.headers, r.body);
        if (bytesOf(r.body) > MAX_BYTES) {
          expect(!result.ok && result.error.code).toBe('body_too_large');
          return;
        }
        const text = typeof r.body === 'string' ? r.body : Buffer.from(r.body).toString();
        expect(result).toEqual({ ok: true, webhookId: r.id, timestamp: r.timestamp, body: text });
      }),
      RUNS,
    );
  });

  it('rejects the same request once anything signed, the secret or the time is off', () => {
    const mutation = fc.constantFrom('body', 'id', 'timestamp', 'secret', 'stale', 'version');
    fc.assert(
      fc.property(signedRequest, mutation, secret, (r, kind, other) => {
        fc.pre(bytesOf(r.body) < MAX_BYTES && !r.secrets.includes(other));
        let { headers, body } = r;
        const [idName, tsName, sigName] = r.names;
        const entries = headers[sigName]!.split(' ');
        if (kind === 'body') body = typeof body === 'string' ? `${body} ` : Uint8Array.of(...body, 0x20);
        if (kind === 'id') headers = { ...headers, [idName]: `${r.id}x` };
        if (kind === 'timestamp')
          headers = { ...headers, [tsName]: String(r.timestamp + (r.skew > 0 ? -1 : 1)) };
        if (kind === 'secret')
          headers = { ...headers, [sigName]: specSignature(other, r.id, r.timestamp, body) };
        if (kind === 'version')
          headers = {
            ...headers,
            [sigName]: entries.map((e) => (e === r.signature ? `v2,${e.slice(3)}` : e)).join(' '),
          };
        const verifier = verifierFor(
          r.secrets,
          kind === 'stale' ? r.timestamp + (r.skew >= 0 ? -1 : 1) * (TOLERANCE + 1) : r.now,
        );
        const result = verifier.verify(headers, body);
        expect(result.ok).toBe(false);
        expect(!result.ok && result.error.code).toBe(kind === 'stale' ? 'stale_timestamp' : 'bad_signature');
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary or perturbed requests, and accepts only what the spec allows', () => {
    const name = fc.oneof(
      headerCase('webhook-id'),
      headerCase('webhook-timestamp'),
      headerCase('webhook-signature'),
      fc.string({ maxLength: 20 }),
    );
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constant(undefined),
      now.map(String),
      fc.anything(),
    );
    const anyBody = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 3000 }),
      fc.uint8Array({ maxLength: 3000 }),
      fc.anything(),
    );
    const arbitrary = fc.record({
      headers: fc.dictionary(name, value, { maxKeys: 8 }),
      body: anyBody,
      secrets: fc.uniqueArray(secret, { minLength: 1, maxLength: 2 }),
      now,
    });
    // Start from a valid request and maybe break it: more headers, another body, a shifted clock.
    const perturbed = fc
      .tuple(
        signedRequest,
        fc.option(fc.dictionary(name, value, { maxKeys: 3 }), { freq: 1 }),
        fc.option(anyBody, { freq: 1 }),
        fc.option(fc.integer({ min: -400, max: 400 }), { freq: 1 }),
      )
      .map(([r, extra, otherBody, shift]) => ({
        headers: { ...r.headers, ...extra },
        body: otherBody ?? r.body,
        secrets: r.secrets,
        now: r.now + (shift ?? 0),
      }));
    fc.assert(
      fc.property(fc.oneof(arbitrary, perturbed), ({ headers, body: raw, secrets, now: nowSeconds }) => {
        const result = verifierFor(secrets, nowSeconds).verify(
          headers as Record<string, string>,
          raw as string,
        );
        if (!result.ok) {
          expect([400, 401, 413, 415]).toContain(result.error.status);
          return;
        }
        // Oracle: an accepted request carries a spec-correct v1 signature of an active secret, in time.
        const lower = Object.fromEntries(
          Object.entries(headers)
            .filter(([, v]) => typeof v === 'string')
            .map(([k, v]) => [k.toLowerCase(), v]),
        );
        const ts = Number(lower['webhook-timestamp']);
        expect(Math.abs(nowSeconds - ts)).toBeLessThanOrEqual(TOLERANCE);
        expect(bytesOf(raw as string)).toBeLessThanOrEqual(MAX_BYTES);
        const expected = secrets.map((s) => specSignature(s, String(lower['webhook-id']), ts, raw as string));
        expect(
          String(lower['webhook-signature'])
            .split(' ')
            .some((e) => expected.includes(e)),
        ).toBe(true);
      }),
      RUNS,
    );
  });
});
