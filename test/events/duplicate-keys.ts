import fc from 'fast-check';

/**
 * JSON texts for the duplicate-key rule (lib/events/strict-json.ts), written by a serializer of
 * this test's own (JSON.stringify cannot write a duplicate key): any JSON value in varied layout,
 * with key spellings escaped or not, and optionally one duplicate key injected into one object
 * chosen at random, at any depth, inside objects and arrays.
 */

export type Segment = string | number;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Characters that trip naive scanners: quotes, backslashes, brackets, separators, controls, astral. */
const TRICKY = ['"', '\\', '{', '}', '[', ']', ',', ':', '/', ' ', 'a', 'é', '😀', '\u0000', '\n', '\u2028'];
const unit = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));

/** Any JSON value, strings and keys full of JSON's own syntax characters. */
export const trickyJson: fc.Arbitrary<Json> = fc.jsonValue({
  maxDepth: 5,
  stringUnit: unit,
}) as fc.Arbitrary<Json>;

export interface Layout {
  /** Whitespace put between tokens (JSON's four whitespace characters only). */
  readonly space: string;
  /** Escape every character of keys as \uXXXX (same key after unescaping). */
  readonly escapeKeys: boolean;
}
export const layout: fc.Arbitrary<Layout> = fc.record({
  space: fc.constantFrom('', ' ', '\n  ', '\t', ' \r\n '),
  escapeKeys: fc.boolean(),
});

/** `\uXXXX` per UTF-16 unit, so astral characters become surrogate-pair escapes. */
const escapeAll = (key: string) =>
  `"${Array.from({ length: key.length }, (_, i) => `\\u${key.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"`;

export interface Injection {
  /** Path of the object that gets the duplicate. */
  readonly at: readonly Segment[];
  readonly key: string;
  /** Value of the extra entry. */
  readonly value: Json;
  /** Where the extra entry goes among the object's entries (taken modulo their count + 1). */
  readonly position: number;
  /** Spell the extra entry's key escaped (the other spelling stays as the layout says). */
  readonly escaped: boolean;
}

const samePath = (a: readonly Segment[], b: readonly Segment[]) =>
  a.length === b.length && a.every((s, i) => s === b[i]);

/** Serializes `value`; with `injection`, the object at `injection.at` carries `key` twice. */
export const render = (value: Json, style: Layout, injection?: Injection, at: Segment[] = []): string => {
  const s = style.space;
  const key = (k: string, escaped = style.escapeKeys) => (escaped ? escapeAll(k) : JSON.stringify(k));
  if (Array.isArray(value)) {
    return `[${s}${value.map((item, i) => render(item, style, injection, [...at, i])).join(`${s},${s}`)}${s}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${key(k)}${s}:${s}${render(v, style, injection, [...at, k])}`,
    );
    if (injection && samePath(at, injection.at)) {
      const extra = `${key(injection.key, injection.escaped)}${s}:${s}${render(injection.value, style)}`;
      const first = Object.hasOwn(value, injection.key)
        ? []
        : [`${key(injection.key)}${s}:${s}${render(injection.value, style)}`];
      const all = [...first, ...entries];
      all.splice(1 + (injection.position % all.length), 0, extra);
      return `{${s}${all.join(`${s},${s}`)}${s}}`;
    }
    return `{${s}${entries.join(`${s},${s}`)}${s}}`;
  }
  return JSON.stringify(value);
};

/** Paths of every object in `value`, root first. */
export const objectPaths = (value: Json, at: Segment[] = []): Segment[][] => {
  if (Array.isArray(value)) return value.flatMap((item, i) => objectPaths(item, [...at, i]));
  if (value !== null && typeof value === 'object') {
    return [at, ...Object.entries(value).flatMap(([k, v]) => objectPaths(v, [...at, k]))];
  }
  return [];
};

/** The value at `path`. */
export const valueAt = (value: Json, path: readonly Segment[]): Json =>
  path.reduce<Json>((node, segment) => (node as Record<string, Json>)[segment as string] as Json, value);

/**
 * A text of `value` with one duplicate key injected into one of its objects (there must be one),
 * and the path of that duplicate: the object's path plus the key. `key` picks an existing key of
 * the object when there is one and `fresh` is false; else `freshKey` is written twice.
 */
export const withDuplicate = (
  values: fc.Arbitrary<Json>,
  freshKeys: fc.Arbitrary<string> = fc.string({ unit, minLength: 0, maxLength: 6 }),
) =>
  fc
    .record({
      value: values.filter((v) => objectPaths(v).length > 0),
      pick: fc.nat(),
      keyPick: fc.nat(),
      fresh: fc.boolean(),
      freshKey: freshKeys,
      extra: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
      position: fc.nat(),
      escaped: fc.boolean(),
      style: layout,
    })
    .map(({ value, pick, keyPick, fresh, freshKey, extra, position, escaped, style }) => {
      const objects = objectPaths(value);
      const at = objects[pick % objects.length]!;
      const keys = Object.keys(valueAt(value, at) as object);
      const key = fresh || keys.length === 0 ? freshKey : keys[keyPick % keys.length]!;
      const injection: Injection = { at, key, value: extra, position, escaped };
      return { text: render(value, style, injection), value, path: [...at, key] as Segment[] };
    });

/** `$.a[0].b`, written here rather than with lib's formatPath, for keys that are plain identifiers. */
export const plainPath = (segments: readonly Segment[]): string =>
  `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
