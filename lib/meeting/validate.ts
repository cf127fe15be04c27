import type { z } from 'zod';
import { ERROR_KIND, MeetingError, MeetingResponseError } from '../http/errors.js';

const describe = (issues: readonly z.core.$ZodIssue[]): string =>
  issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`).join('; ');

/** Validates a request before anything is sent; invalid input is the caller's permanent error. */
export const validateRequest = <S extends z.ZodType>(api: string, schema: S, input: unknown): z.output<S> => {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new MeetingError(`${api}: invalid request: ${describe(result.error.issues)}`, {
    kind: ERROR_KIND.permanent,
    api,
    cause: result.error,
  });
};

/** Parses a response payload; a mismatch means the server broke its documented contract. */
export const parseResponse = <S extends z.ZodType>(
  api: string,
  schema: S,
  payload: unknown,
  requestId?: string,
): z.output<S> => {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  // Paths and messages only: never echo the payload (it may hold personal data).
  throw new MeetingResponseError(`${api}: unexpected response: ${describe(result.error.issues)}`, {
    kind: ERROR_KIND.permanent,
    api,
    requestId,
  });
};
