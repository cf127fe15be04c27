import { describe, expect, it } from 'vitest';
import { parseDelivery, parseDeliveryJson } from '../../lib/events/parse-delivery.js';
import { DUPLICATE_KEY_MESSAGE } from '../../lib/events/strict-json.js';
import { cloudHire, hire } from './fixtures.js';

const errorsOf = (body: unknown, maxEvents?: number) => {
  const result = parseDelivery(body, maxEvents === undefined ? {} : { maxEvents });
  if (result.ok) throw new Error('expected the delivery to be rejected');
  return result.errors;
};

describe('parseDelivery', () => {
  it('accepts one bare event', () => {
    expect(parseDelivery(hire())).toEqual({ ok: true, events: [hire()] });
  });

  it('normalises a CloudEvent: id and type from the envelope, occurredAt from time', () => {
    const result = parseDelivery(cloudHire());
    expect(result).toEqual({
      ok: true,
      events: [
        {
          type: 'employee.hired',
          id: 'evt-ce-1',
          employeeId: 'E2',
          version: 7,
          occurredAt: '2026-01-05T09:30:00+08:00',
          member: { name: '王芳', phone: '+8613700137000', country: 'chinaPR' },
        },
      ],
    });
  });

  it('keeps data.occurredAt over the envelope time', () => {
    const data = { ...(cloudHire().data as object), occurredAt: '2026-01-01T00:00:00Z' };
    const result = parseDelivery(cloudHire({ data }));
    expect(result.ok && result.events[0]?.occurredAt).toBe('2026-01-01T00:00:00Z');
  });

  it('accepts a mixed array in order and trims names', () => {
    const result = parseDelivery([
      hire({ member: { name: '  李娜 ', email: 'li.na@example.com' } }),
      cloudHire(),
    ]);
    expect(result.ok && result.events.map((e) => [e.id, e.member.name])).toEqual([
      ['evt-1', '李娜'],
      ['evt-ce-1', '王芳'],
    ]);
  });

  it('rejects duplicate ids within a delivery, bare or enveloped', () => {
    expect(errorsOf([hire(), cloudHire({ id: 'evt-1' })])).toEqual([
      { index: 1, path: '$[1].id', message: 'duplicate event id (same as $[0])' },
    ]);
  });

  it('rejects the whole delivery when one item is invalid, naming index and path', () => {
    const errors = errorsOf([hire(), hire({ id: 'evt-2', member: { name: 'x', email: 'not-an-email' } })]);
    expect(errors).toEqual([{ index: 1, path: '$[1].member.email', message: 'Invalid email address' }]);
  });

  it('reports CloudEvent paths as sent (data.member...)', () => {
    const errors = errorsOf(
      cloudHire({ data: { employeeId: 'E2', version: 1, member: { name: 'x', phone: '+86' } } }),
    );
    expect(errors).toEqual([{ path: '$.data.member.country', message: 'phone requires country' }]);
  });

  it('tells missing from wrong, and lists allowed types without echoing the value', () => {
    const { member, ...noMember } = hire();
    expect(errorsOf(noMember)).toEqual([{ path: '$.member', message: 'required (object)' }]);
    const [error] = errorsOf(hire({ type: `employee.${'x'.repeat(10_000)}` }));
    expect(error?.path).toBe('$.type');
    expect(error?.message).toMatch(/^must be one of: employee.hired, .*admin.revoked$/);
    expect(errorsOf({ id: 'a' })[0]?.message).toMatch(/^required; one of: /);
  });

  it.each([
    [null, 'null'],
    ['{"type":"employee.hired"}', 'string'],
    [42, 'number'],
    [undefined, 'undefined'],
  ])('rejects a non-object body (%s)', (body, type) => {
    expect(errorsOf(body)).toEqual([
      { path: '$', message: `expected an event object or an array of events, got ${type}` },
    ]);
  });

  it('rejects empty and oversized arrays, and non-object items', () => {
    expect(errorsOf([])[0]?.message).toBe('expected at least one event, got an empty array');
    const many = Array.from({ length: 4 }, (_, i) => hire({ id: `e${i}` }));
    expect(errorsOf(many, 3)).toEqual([
      { path: '$', message: 'too many events: 4 (at most 3 per delivery)' },
    ]);
    expect(parseDelivery(many, { maxEvents: 4 }).ok).toBe(true);
    expect(errorsOf(Array(101).fill(hire()))[0]?.message).toBe(
      'too many events: 101 (at most 100 per delivery)',
    );
    expect(errorsOf([hire(), [hire()], 'x'])).toEqual([
      { index: 1, path: '$[1]', message: 'expected an event object, got array' },
      { index: 2, path: '$[2]', message: 'expected an event object, got string' },
    ]);
  });

  it('rejects prototype-pollution keys as unknown fields and pollutes nothing', () => {
    const body = JSON.parse(
      '[{"type":"employee.hired","id":"a","employeeId":"E1","version":1,"member":{"name":"n","email":"a@b.cn","__proto__":{"admin":true}},"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}}}]',
    );
    expect(errorsOf(body)).toEqual([
      { index: 0, path: '$[0].member', message: 'unknown field: "__proto__"' },
      { index: 0, path: '$[0]', message: 'unknown fields: "__proto__", "constructor"' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('cuts long keys and caps the number of errors', () => {
    const keys = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`${'k'.repeat(5000)}${i}`, 1]));
    const [error] = errorsOf(hire(keys));
    expect(error?.message.length).toBeLessThanOrEqual(201);
    expect(error?.message).toMatch(/^unknown fields: "k{40}…", "k{40}…", "k{40}…" and 5 more$/);
    const errors = errorsOf(Array.from({ length: 100 }, (_, i) => ({ id: i })));
    expect(errors).toHaveLength(51);
    expect(errors.at(-1)?.message).toMatch(/more errors not shown$/);
  });

  it('stays fast on hostile input: deep nesting, huge strings, the account ReDoS', () => {
    let deep: unknown = hire();
    let deepArray: unknown = [hire()];
    for (let i = 0; i < 100_000; i++) {
      deep = { member: deep };
      deepArray = [deepArray];
    }
    const huge = 'x'.repeat(1_000_000);
    const started = performance.now();
    expect(errorsOf(deep).map((e) => e.path)).toEqual(['$.type']);
    expect(errorsOf(hire({ member: deep })).map((e) => e.path)).toEqual(['$.member.name', '$.member']);
    expect(errorsOf(deepArray)).toEqual([
      { index: 0, path: '$[0]', message: 'expected an event object, got array' },
    ]);
    expect(
      errorsOf(hire({ id: huge, employeeId: huge, member: { name: huge, email: `${huge}@x.com` } })).length,
    ).toBe(4);
    // The shared account regex is quadratic on "@@@…"; the length guard must stop it first.
    expect(errorsOf(hire({ member: { name: 'n', email: 'a@b.cn', account: '@'.repeat(300_000) } }))).toEqual([
      { path: '$.member.account', message: 'Too big: expected string to have <=64 characters' },
    ]);
    // Linear work takes well under a second; the quadratic regex would take minutes. The bound
    // sits between the two with room for a loaded machine (a speed figure belongs in the bench).
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  // JSON.parse turns the escape "\ud800" into a lone surrogate, which has no UTF-8 form.
  const LONE_SURROGATE = 'must be well-formed Unicode (no unpaired surrogate)';
  const CONTROL = 'must not contain control characters (U+0000-U+001F, U+007F-U+009F)';

  it.each([
    ['$.member.name', hire({ member: { name: '\ud800x', email: 'a@corp.example' } })],
    ['$.member.name', hire({ member: { name: 'x\udc00', email: 'a@corp.example' } })],
    ['$.member.title', hire({ member: { name: 'n', email: 'a@corp.example', title: '\ud83d' } })],
    [
      '$.member.englishName',
      hire({ member: { name: 'n', email: 'a@corp.example', englishName: 'a\ud83d' } }),
    ],
    ['$.member.deptCode', hire({ member: { name: 'n', email: 'a@corp.example', deptCode: '\udfff' } })],
    ['$.member.country', hire({ member: { name: 'n', phone: '+861', country: '\ud800' } })],
    ['$.source', cloudHire({ source: '/hr\ud800' })],
    ['$.subject', cloudHire({ subject: '\udbff' })],
    ['$.dataschema', cloudHire({ dataschema: 'urn:\udc00' })],
    [
      '$.data.member.name',
      cloudHire({
        data: { employeeId: 'E2', version: 1, member: { name: '\ud800', email: 'a@corp.example' } },
      }),
    ],
  ])('refuses a lone surrogate in %s, naming the path', (path, body) => {
    expect(errorsOf(body)).toEqual([{ path, message: LONE_SURROGATE }]);
  });

  it.each([
    ['name', 'a\u0000\u001b[31mb'],
    ['name', 'bell\u0007'],
    ['name', 'two\nlines'],
    ['name', 'tab\there'],
    ['name', 'del\u007f'],
    ['name', 'csi\u009b31m'],
    ['englishName', 'Zhang\u001bWei'],
    ['title', 'CEO\u0000'],
    ['deptCode', 'D\r1'],
  ])('refuses control characters in member.%s', (field, value) => {
    const member = { name: 'n', email: 'a@corp.example', [field]: value };
    expect(errorsOf(hire({ member }))).toEqual([{ path: `$.member.${field}`, message: CONTROL }]);
  });

  it('keeps what real names need beside them: spaces, accents, combining marks, every script, emoji pairs', () => {
    expect(errorsOf(hire({ member: { name: 'Zoë\u001b', email: 'a@corp.example' } }))).toHaveLength(1);
    const names = [
      "Zoë O'Brien-Smith",
      'José Ñúñez',
      'e\u0301',
      '张伟',
      'محمد علي',
      'Ольга',
      '김민준',
      'अनन्या',
      'Jean\u00a0Luc',
      'Ana 😀',
    ];
    for (const name of names) {
      const result = parseDelivery(
        hire({ member: { name, email: 'a@corp.example', title: name.slice(0, 32) } }),
      );
      expect(result.ok && result.events[0]?.member.name).toBe(name);
    }
  });

  it('never throws on objects whose getters throw', () => {
    const trap = new Proxy(hire(), {
      get() {
        throw new Error('boom');
      },
    });
    expect(parseDelivery(trap)).toEqual({
      ok: false,
      errors: [{ path: '$', message: 'body could not be read as JSON data' }],
    });
  });
});

describe('parseDeliveryJson', () => {
  it('parses text, and never quotes the body in errors', () => {
    expect(parseDeliveryJson(JSON.stringify([hire()])).ok).toBe(true);
    expect(parseDeliveryJson('  ')).toEqual({ ok: false, errors: [{ path: '$', message: 'body is empty' }] });
    expect(parseDeliveryJson('{"secret-ish":')).toEqual({
      ok: false,
      errors: [{ path: '$', message: 'body is not valid JSON' }],
    });
  });

  it('refuses duplicate keys before the schema, with the path (and index) of the first', () => {
    const second = JSON.stringify(hire({ id: 'evt-2' })).replace('"member":{', '"member":{"email":"x@y.z",');
    expect(parseDeliveryJson(`[${JSON.stringify(hire())},${second}]`)).toEqual({
      ok: false,
      errors: [{ index: 1, path: '$[1].member.email', message: DUPLICATE_KEY_MESSAGE }],
    });
  });
});
