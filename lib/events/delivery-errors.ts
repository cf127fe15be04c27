import type { z } from 'zod';
import { MAX_MESSAGE_CHARS, MAX_QUOTED_KEY_CHARS } from './constants.js';

/** One problem with a delivery. `path` is JSONPath-like from the body root, e.g. `$[2].member.email`. */
export interface DeliveryError {
  /** Position of the event in an array delivery; absent for a single event or the body itself. */
  readonly index?: number;
  readonly path: string;
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const MAX_LISTED_KEYS = 3;

const truncate = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max)}…` : text);

/** Quotes a key for a message, cut short: keys come from the sender and may be huge or hostile. */
export const quoteKey = (key: string): string => JSON.stringify(truncate(key, MAX_QUOTED_KEY_CHARS));

export const formatPath = (base: string, segments: readonly PropertyKey[]): string =>
  segments.reduce<string>((path, segment) => {
    if (typeof segment === 'number') return `${path}[${segment}]`;
    if (typeof segment === 'symbol') return `${path}[symbol]`;
    return IDENTIFIER.test(segment) && segment.length <= MAX_QUOTED_KEY_CHARS
      ? `${path}.${segment}`
      : `${path}[${quoteKey(segment)}]`;
  }, base);

/** Names the JS type of a value for messages, never the value itself. */
export const describeType = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

const isPresent = (input: unknown, path: readonly PropertyKey[]): boolean => {
  let node: unknown = input;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return false;
    node = (node as Record<PropertyKey, unknown>)[segment];
  }
  return node !== undefined;
};

const messageOf = (issue: z.core.$ZodIssue, input: unknown): string => {
  switch (issue.code) {
    case 'unrecognized_keys': {
      const listed = issue.keys.slice(0, MAX_LISTED_KEYS).map(quoteKey).join(', ');
      const more =
        issue.keys.length > MAX_LISTED_KEYS ? ` and ${issue.keys.length - MAX_LISTED_KEYS} more` : '';
      return `unknown field${issue.keys.length === 1 ? '' : 's'}: ${listed}${more}`;
    }
    case 'invalid_union':
      // A discriminated union that found no branch: say which values are allowed, not what came.
      if (issue.discriminator !== undefined && 'options' in issue && issue.options) {
        const allowed = issue.options.map(String).join(', ');
        return isPresent(input, issue.path) ? `must be one of: ${allowed}` : `required; one of: ${allowed}`;
      }
      return issue.message;
    case 'invalid_type':
      return isPresent(input, issue.path) ? issue.message : `required (${issue.expected})`;
    default:
      return issue.message;
  }
};

/**
 * Turns zod issues for one item into delivery errors. `input` is the item as received (used
 * only to tell "missing" from "wrong"); `base` is the item's path, e.g. `$` or `$[3]`.
 */
export const issuesToErrors = (
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  base: string,
  index: number | undefined,
): DeliveryError[] =>
  issues.map((issue) => ({
    ...(index === undefined ? {} : { index }),
    path: formatPath(base, issue.path),
    message: truncate(messageOf(issue, input), MAX_MESSAGE_CHARS),
  }));
