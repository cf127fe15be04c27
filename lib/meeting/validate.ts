import type { z } from 'zod';
import { ERROR_KIND, MeetingError } from '../http/errors.js';
import { describeIssues, parseResponse, type ResponseMeta } from '../http/wire.js';

export { parseResponse };

/** Validates a request before anything is sent; invalid input is the caller's permanent error. */
export const validateRequest = <S extends z.ZodType>(api: string, schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new MeetingError(`${api}: invalid request: ${describeIssues(result.error.issues)}`, {
    kind: ERROR_KIND.permanent,
    api,
    cause: result.error,
  });
};

/** A response parser for `caller.call`: tolerant (null = absent, unknown fields ignored). */
export const parseWith =
  <S extends z.ZodType>(api: string, schema: S) =>
  (payload: unknown, meta: ResponseMeta): z.output<S> =>
    parseResponse(api, schema, payload, meta);
