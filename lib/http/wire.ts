import { z } from 'zod';
import { ERROR_KIND, MeetingResponseError } from './errors.js';

/**
 * Reading the other side's answers (docs/meeting-api.md §0: responses are loose, requests are
 * strict). Shared by lib/auth (token object, legacy envelope) and lib/meeting (every response).
 *
 * - `null` means absent: `withoutNulls` drops null-valued properties before any schema sees them,
 *   so one rule covers every optional field ("email": null, "corp": null, devType of nulls).
 * - Unknown fields are never an error: response schemas are `z.looseObject`.
 * - The documented examples disagree on scalar types (`vmrList[].status` "0" vs 0, docs/meeting-api.md §8 D13), so the
 *   scalars below accept both spellings and normalise them.
 * - Only the fields a caller acts on are required; a response that still cannot be used fails with
 *   one MeetingResponseError naming the API, the field paths and the request id, never the body.
 */

/** Removes null-valued properties at every depth (array elements are kept: indices matter). */
export const withoutNulls = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== null) out[key] = withoutNulls(v);
  return out;
};

/** An integer, also when sent as a decimal string ("0"). */
export const wireInt = z.lazy(() =>
  z.union([
    z.number().int(),
    z
      .string()
      .regex(/^\s*-?\d+\s*$/)
      .transform((v) => Number(v.trim())),
  ]),
);

/** A number (e.g. seconds, epoch ms), also when sent as a numeric string. */
export const wireNumber = z.lazy(() =>
  z.union([
    z.number(),
    z
      .string()
      .regex(/^\s*-?\d+(\.\d+)?\s*$/)
      .transform((v) => Number(v.trim())),
  ]),
);

/** A string; a number where a string was documented (ids, phone digits) is taken as its text. */
export const wireText = z.lazy(() => z.union([z.string(), z.number().transform(String)]));

/** An identifier where an empty string says "none" as null does (an HR id never set). */
export const wireKey = z.lazy(() => wireText.transform((v) => (v.trim() === '' ? undefined : v)));

/** A boolean, also when sent as "true"/"false". */
export const wireBool = z.lazy(() =>
  z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]),
);

/** What a parse error may say about where the answer came from. */
export interface ResponseMeta {
  readonly requestId?: string;
  readonly endpoint?: string;
}

const MAX_ISSUES = 3;

/** Field paths and zod's messages (which never quote the received value), at most three. */
export const describeIssues = (issues: readonly z.core.$ZodIssue[]): string => {
  const shown = issues
    .slice(0, MAX_ISSUES)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : '';
  return `${shown.join('; ')}${more}`;
};

export const responseError = (
  api: string,
  detail: string,
  meta: ResponseMeta & { status?: number },
): MeetingResponseError =>
  new MeetingResponseError(
    `${api}: unexpected response${meta.requestId ? ` (request id ${meta.requestId})` : ''}: ${detail}`,
    {
      kind: ERROR_KIND.permanent,
      api,
      status: meta.status,
      requestId: meta.requestId,
      endpoint: meta.endpoint,
    },
  );

/** Parses an answer tolerantly; a mismatch means the server broke the part of the contract we use. */
export const parseResponse = <S extends z.ZodType>(
  api: string,
  schema: S,
  payload: unknown,
  meta: ResponseMeta = {},
): z.output<S> => {
  const result = schema.safeParse(withoutNulls(payload));
  if (result.success) return result.data;
  // Paths and messages only: never echo the payload (it may hold personal data or a token).
  throw responseError(api, describeIssues(result.error.issues), meta);
};
