import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../lib/events/delivery-errors.js';
import { findDuplicateKey, parseStrictJson } from '../../lib/events/strict-json.js';
import { layout, plainPath, render, trickyJson, withDuplicate } from './duplicate-keys.js';

const RUNS = { numRuns: 300 };

const duplicateAt = (text: string) => {
  const result = parseStrictJson(text);
  if (result.ok || result.problem !== 'duplicateKey') throw new Error(`expected a duplicate key in ${text}`);
  return result;
};

describe('parseStrictJson (examples)', () => {
  it("refuses the issue's body: a second type that would turn a hire into an admin grant", () => {
    const body =
      '{"type":"employee.hired","id":"e1","employeeId":"E1","version":1,' +
      '"member":{"name":"A","email":"a@corp.example"},"type":"admin.granted"}';
    expect(JSON.parse(body).type).toBe('admin.granted'); // what JSON.parse alone would act on
    expect(duplicateAt(body)).toEqual({ ok: false, problem: 'duplicateKey', path: '$.type' });
  });

  it('names the path of duplicates in nested objects and inside arrays, with the item index', () => {
    expect(duplicateAt('{"member":{"email":"a","name":"n","email":"b"}}').path).toBe('$.member.email');
    expect(duplicateAt('[{"id":1},{"id":2,"member":{"x":[{},{"a":1,"a":1}]}}]')).toEqual({
      ok: false,
      problem: 'duplicateKey',
      path: '$[1].member.x[1].a',
      index: 1,
    });
    expect(duplicateAt('{"data":{"member":{"title":"t","title":"t"}}}').path).toBe('$.data.member.title');
  });

  it('compares keys after unescaping, as JSON.parse does', () => {
    expect(duplicateAt('{"type":1,"\\u0074ype":2}').path).toBe('$.type');
    expect(duplicateAt('{"a\\"b":1,"a\\u0022b":2}').path).toBe('$["a\\"b"]');
    expect(duplicateAt('{"😀":1,"\\ud83d\\ude00":2}').path).toBe('$["😀"]');
    expect(duplicateAt('{"__proto__":1,"__proto__":2}').path).toBe('$.__proto__');
  });

  it('reports the first key that repeats, in text order', () => {
    expect(duplicateAt('{"a":{"b":1,"b":2},"a":3}').path).toBe('$.a.b');
    expect(duplicateAt('{"a":1,"b":{"c":1},"a":2,"b":3}').path).toBe('$.a');
  });

  it('is not fooled by keys in string values, escaped quotes or keys repeated in sibling objects', () => {
    const texts = [
      '{"a":"\\"a\\":1,\\"a\\":2","b":"{\\"a\\":1}"}',
      '{"a\\\\":1,"a":2}',
      '[{"a":1},{"a":1},{"b":{"a":1}}]',
      '{"a":[1,"a",{"a":1}],"b":{"a":{"a":1}}}',
      '{"":1,"x":{"":2}}',
      '{"a" : 1 ,\n "b" :\t[ ] , "c":{ } }',
    ];
    for (const text of texts)
      expect(parseStrictJson(text), text).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('treats "" as a key like any other', () => {
    expect(duplicateAt('{"":1,"":2}').path).toBe('$[""]');
  });

  it('refuses broken JSON as a syntax problem, before any scan, without quoting it', () => {
    for (const text of ['', '{', '{"a":1,}', "{'a':1}", '{"a":1}x', '\ufeff{}']) {
      expect(parseStrictJson(text)).toEqual({ ok: false, problem: 'syntax' });
    }
  });

  it('copes with deep nesting without recursion', () => {
    const depth = 100_000;
    const deep = `${'{"a":'.repeat(depth)}{"b":1,"b":2}${'}'.repeat(depth)}`;
    expect(findDuplicateKey(deep)).toHaveLength(depth + 1);
    const arrays = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    expect(findDuplicateKey(arrays)).toBeUndefined();
  });
});

describe('parseStrictJson (properties)', () => {
  it('parses any JSON without duplicate keys exactly as JSON.parse does, whatever the layout', () => {
    fc.assert(
      fc.property(trickyJson, layout, (value, style) => {
        const text = render(value, style);
        expect(parseStrictJson(text)).toStrictEqual({ ok: true, value: JSON.parse(text) });
      }),
      RUNS,
    );
  });

  it('finds a duplicate injected at any depth, in objects and arrays, and names its path', () => {
    fc.assert(
      fc.property(withDuplicate(trickyJson), ({ text, path }) => {
        const result = duplicateAt(text);
        expect(result.path).toBe(formatPath('$', path));
        if (typeof path[0] === 'number') expect(result.index).toBe(path[0]);
        else expect(result).not.toHaveProperty('index');
      }),
      RUNS,
    );
  });

  it('names the path exactly as $.a[0].b for plain keys (checked without lib code)', () => {
    const plainKey = fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,8}$/);
    const plainJson = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
        fc.dictionary(plainKey, tie('value'), { maxKeys: 4 }),
        fc.array(tie('value'), { maxLength: 4 }),
      ),
    })).value as Parameters<typeof withDuplicate>[0];
    fc.assert(
      fc.property(withDuplicate(plainJson, plainKey), ({ text, path }) => {
        expect(duplicateAt(text).path).toBe(plainPath(path));
      }),
      RUNS,
    );
  });
});
