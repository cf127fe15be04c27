import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDelivery } from '../../lib/events/parse-delivery.js';
import { EVENT_TYPES, hrEventSchema } from '../../lib/events/schemas.js';

const RUNS = { numRuns: 300 };
const TYPES = Object.values(EVENT_TYPES);

const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((date) =>
    fc.constantFrom(
      date.toISOString(),
      date.toISOString().replace(/\.\d{3}Z$/, '+08:00'),
      `${date.toISOString().slice(0, 19)}Z`,
    ),
  );
const member = fc.record(
  {
    name: fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
      .filter((s) => /\S/.test(s) && s.trim().length <= 64),
    email: fc.stringMatching(/^[a-z0-9]{1,10}(\.[a-z0-9]{1,10})?@[a-z0-9]{1,10}\.(com|cn|org)$/),
    englishName: fc.string({ maxLength: 64 }),
    deptCode: fc.string({ minLength: 1, maxLength: 32 }),
  },
  { requiredKeys: ['name', 'email'] },
);
const validEvent = fc.record(
  {
    type: fc.constantFrom(...TYPES),
    id: fc.stringMatching(/^[\x21-\x7e]{1,128}$/),
    employeeId: fc.stringMatching(/^[A-Za-z0-9_.@-]{1,64}$/),
    version: fc.oneof(fc.constantFrom(0, Number.MAX_SAFE_INTEGER), fc.maxSafeNat()),
    occurredAt: isoDate,
    effectiveAt: isoDate,
    member,
  },
  { requiredKeys: ['type', 'id', 'employeeId', 'version', 'member'] },
);
const trimmed = (event: { member: { name: string } }) => ({
  ...event,
  member: { ...event.member, name: event.member.name.trim() },
});

/** Hostile JSON-ish values: prototype keys, odd numbers, unicode, nesting. */
const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'type', 'id', 'member', 'specversion', 'data'),
  fc.string({ unit: 'binary', maxLength: 12 }),
);
const hostile = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.anything({ key: hostileKey, withNullPrototype: true, withBoxedValues: true, withMap: true }),
    fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2, -1, 1.5),
    fc.dictionary(hostileKey, tie('value'), { maxKeys: 6 }),
    fc.array(tie('value'), { maxLength: 4 }),
  ),
})).value;

describe('parseDelivery (properties)', () => {
  it('never throws, and accepts only schema-valid events with unique ids', () => {
    fc.assert(
      fc.property(
        fc.oneof(hostile, validEvent, fc.array(fc.oneof(validEvent, hostile), { maxLength: 5 })),
        (body) => {
          const result = parseDelivery(body);
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const error of result.errors) expect(error.path).toMatch(/^\$/);
            return;
          }
          for (const event of result.events) expect(hrEventSchema.safeParse(event).success).toBe(true);
          expect(new Set(result.events.map((e) => e.id)).size).toBe(result.events.length);
        },
      ),
      RUNS,
    );
  });

  it('accepts every valid event, bare or as a CloudEvent, unchanged but for the trimmed name', () => {
    fc.assert(
      fc.property(validEvent, fc.boolean(), (event, asCloudEvent) => {
        const { type, id, ...data } = event;
        const body = asCloudEvent ? { specversion: '1.0', id, type, source: '/hr', data } : event;
        expect(parseDelivery(body)).toEqual({ ok: true, events: [trimmed(event)] });
      }),
      RUNS,
    );
  });

  it('takes unicode names of 1..64 UTF-16 units after trimming, not 0 or 65', () => {
    const char = fc.oneof(
      fc.constantFrom('张', 'é', 'ß', 'Ж', 'ا', '한'),
      fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    );
    fc.assert(
      fc.property(
        validEvent,
        char.filter((c) => /\S/.test(c)),
        fc.constantFrom(0, 1, 63, 64, 65, 200),
        (event, c, n) => {
          const name = ` ${c.repeat(n)}  `;
          const accepted = parseDelivery({ ...event, member: { ...event.member, name } }).ok;
          expect(accepted).toBe(n >= 1 && n * c.length <= 64);
        },
      ),
      RUNS,
    );
  });

  it('accepts versions 0..MAX_SAFE_INTEGER and nothing else', () => {
    const badVersion = fc.oneof(
      fc.integer({ max: -1 }),
      fc.double({ noNaN: false }).filter((v) => !Number.isSafeInteger(v) || v < 0),
      fc.constantFrom(Number.MAX_SAFE_INTEGER + 1, 2 ** 64, '1', null, true),
    );
    fc.assert(
      fc.property(validEvent, badVersion, (event, version) => {
        const result = parseDelivery({ ...event, version });
        expect(result.ok).toBe(false);
        expect(!result.ok && [...new Set(result.errors.map((e) => e.path))]).toEqual(['$.version']);
      }),
      RUNS,
    );
  });

  it('rejects malformed and impossible dates', () => {
    const badDate = fc.oneof(
      fc.string({ maxLength: 30 }).filter((s) => Number.isNaN(Date.parse(s)) || !/T/.test(s)),
      fc.constantFrom(
        '2026-02-30T00:00:00Z',
        '2025-02-29T00:00:00Z',
        '2026-13-01T00:00:00Z',
        '2026-01-01T24:00:00Z',
        '2026-01-01 00:00:00Z',
        '2026-01-01T00:00:00',
        '2026-01-01',
        '1767576600000',
      ),
    );
    fc.assert(
      fc.property(
        validEvent,
        fc.constantFrom('occurredAt', 'effectiveAt'),
        badDate,
        (event, field, value) => {
          const result = parseDelivery({ ...event, [field]: value });
          expect(!result.ok && result.errors.map((e) => e.path)).toEqual([`$.${field}`]);
        },
      ),
      RUNS,
    );
  });

  it('refuses a lone surrogate or a control character anywhere in member text, naming the field', () => {
    const lone = fc.oneof(fc.integer({ min: 0xd800, max: 0xdbff }), fc.integer({ min: 0xdc00, max: 0xdfff }));
    const control = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }));
    const bad = fc.oneof(
      lone.map((unit) => ({ unit, message: /well-formed Unicode/ })),
      control.map((unit) => ({ unit, message: /control characters/ })),
    );
    // Printable ASCII around it, so a surrogate never finds a partner.
    const around = fc
      .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 })
      .filter((s) => /\S/.test(s));
    fc.assert(
      fc.property(
        validEvent,
        fc.constantFrom('name', 'englishName', 'deptCode', 'title'),
        around,
        fc.nat(),
        bad,
        fc.boolean(),
        (event, field, base, at, { unit, message }, asCloudEvent) => {
          const cut = at % (base.length + 1);
          const value = `${base.slice(0, cut)}${String.fromCharCode(unit)}${base.slice(cut)}`;
          const { type, id, ...data } = { ...event, member: { ...event.member, [field]: value } };
          const body = asCloudEvent
            ? { specversion: '1.0', id, type, source: '/hr', data }
            : { type, id, ...data };
          // Through the JSON text, as a sender's escape (\ud800, \u001b) arrives.
          const result = parseDelivery(JSON.parse(JSON.stringify(body)));
          expect(!result.ok && result.errors).toEqual([
            {
              path: `$.${asCloudEvent ? 'data.' : ''}member.${field}`,
              message: expect.stringMatching(message),
            },
          ]);
        },
      ),
      RUNS,
    );
  });

  it('rejects any unknown field, anywhere, naming where it is', () => {
    const known = new Set(['type', 'id', 'employeeId', 'version', 'occurredAt', 'effectiveAt', 'member']);
    fc.assert(
      fc.property(
        validEvent,
        fc.string({ unit: 'binary', minLength: 1, maxLength: 80 }),
        fc.boolean(),
        (event, key, inMember) => {
          fc.pre(
            !known.has(key) &&
              !['name', 'email', 'englishName', 'deptCode', 'account', 'phone', 'country', 'title'].includes(
                key,
              ),
          );
          const body = inMember
            ? { ...event, member: { ...event.member, [key]: 'x' } }
            : { ...event, [key]: 'x' };
          const result = parseDelivery(JSON.parse(JSON.stringify(body)));
          expect(!result.ok && result.errors.map((e) => e.path)).toEqual([inMember ? '$.member' : '$']);
        },
      ),
      RUNS,
    );
  });
});
