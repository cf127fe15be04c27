import { formatPath } from './delivery-errors.js';

/**
 * JSON with exactly one meaning: `JSON.parse`, plus a refusal of duplicate object keys at any
 * depth. RFC 8259 §4 leaves duplicate names unpredictable (parsers keep the first, the last, or
 * refuse), so a signed body with `"type":"employee.hired","type":"admin.granted"` could mean one
 * thing to a sender, proxy or audit tool and another to us. Both intake paths (the webhook and
 * the worker's parse of queue messages) go through here, so neither can be used to bypass it.
 *
 * Why not a library: the well-kept parsers that see duplicates either tolerate some of them
 * (lossless-json accepts a duplicate whose value is deep-equal), or build a full AST or value
 * tree in JavaScript (@humanwhocodes/momoa, lossless-json), or are lenient JSONC tokenizers
 * (jsonc-parser) that would add a dependency to both bundles for what is a short scan here. And
 * a `JSON.parse` reviver cannot do it: the engine merges duplicates while parsing, before any
 * reviver runs, so the reviver sees each surviving key once.
 *
 * So the native parser builds the value (and judges the syntax), and `findDuplicateKey` makes
 * one scan over the already-valid text that allocates nothing but object keys: string values
 * are skipped with `indexOf` and whitespace runs with a regex; numbers and literals are stepped over.
 */

export type StrictJsonResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problem: 'syntax' }
  | {
      readonly ok: false;
      readonly problem: 'duplicateKey';
      /** JSONPath-like, as in the 422 details: `$[0].member.email`. */
      readonly path: string;
      /** Position of the enclosing top-level array item, as in the 422 details. */
      readonly index?: number;
    };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const SPACE = 0x20;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const TAB = 0x09;
const SPACES = /[ \t\n\r]+/y;
const isSpace = (c: number) => c === SPACE || c === NEWLINE || c === RETURN || c === TAB;

/** An open container: an object (its keys so far, the current key) or an array (the current index). */
type Frame = { readonly keys: Set<string>; at: string } | { readonly keys: undefined; at: number };

/** Index of the quote that closes the string opened at `open` (an odd run of backslashes escapes it). */
const closingQuote = (text: string, open: number): number => {
  for (let end = text.indexOf('"', open + 1); end !== -1; end = text.indexOf('"', end + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return end;
  }
  return text.length; // only for text that is not valid JSON
};

/**
 * The path (segments from the root) of the first key that repeats within its object, or
 * undefined. `text` must be valid JSON (parse it first): the scan trusts the syntax. Keys are
 * compared after unescaping, so `"a"` and `"\u0061"` are the same key, as they are to JSON.parse.
 */
export const findDuplicateKey = (text: string): (string | number)[] | undefined => {
  const stack: Frame[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    switch (text.charCodeAt(i)) {
      case OPEN_OBJECT:
        stack.push({ keys: new Set(), at: '' });
        expectKey = true;
        break;
      case OPEN_ARRAY:
        stack.push({ keys: undefined, at: 0 });
        expectKey = false;
        break;
      case CLOSE_OBJECT:
      case CLOSE_ARRAY:
        stack.pop();
        expectKey = false;
        break;
      case COMMA: {
        const top = stack.at(-1);
        if (top?.keys) expectKey = true;
        else if (top) top.at++;
        break;
      }
      case QUOTE: {
        const end = closingQuote(text, i);
        const top = stack.at(-1);
        if (expectKey && top?.keys) {
          const raw = text.slice(i + 1, end);
          const key = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
          top.at = key;
          if (top.keys.has(key)) return stack.map((frame) => frame.at);
          top.keys.add(key);
          expectKey = false;
        }
        i = end;
        break;
      }
      case SPACE:
      case NEWLINE:
      case RETURN:
      case TAB:
        // Long runs (padding) are jumped over natively; a body may be 256 KiB of spaces.
        if (isSpace(text.charCodeAt(i + 1))) {
          SPACES.lastIndex = i;
          SPACES.test(text);
          i = SPACES.lastIndex - 1;
        }
        break;
      default:
      // ':' and the characters of numbers and literals carry no keys.
    }
  }
  return undefined;
};

/** JSON.parse that also refuses duplicate keys. Never throws, never echoes the text. */
export const parseStrictJson = (text: string): StrictJsonResult => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // The engine's message quotes part of the text, so it is not passed on.
    return { ok: false, problem: 'syntax' };
  }
  // Scalars have no keys: skip the scan.
  if (typeof value !== 'object' || value === null) return { ok: true, value };
  const duplicate = findDuplicateKey(text);
  if (duplicate === undefined) return { ok: true, value };
  const [first] = duplicate;
  return {
    ok: false,
    problem: 'duplicateKey',
    path: formatPath('$', duplicate),
    ...(Array.isArray(value) && typeof first === 'number' ? { index: first } : {}),
  };
};

/** The one-line explanation that goes with a duplicate key's path. */
export const DUPLICATE_KEY_MESSAGE = 'duplicate key: each key may appear only once per object';
