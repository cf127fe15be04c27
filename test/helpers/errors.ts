import { expect } from 'vitest';
import { MeetingAuthError } from '../../lib/http/errors.js';

/** What `promise` rejects with; the test fails if it resolves. */
export const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.fail('expected a failure'),
    (error: unknown) => error,
  );

/**
 * What `fn` throws; the test fails if it returns. With `type`, an error of another type is
 * thrown on (it is not the failure the test expects).
 */
export function thrownBy(fn: () => unknown): unknown;
export function thrownBy<E>(fn: () => unknown, type: abstract new (...args: never[]) => E): E;
export function thrownBy(fn: () => unknown, type?: abstract new (...args: never[]) => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (type === undefined || error instanceof type) return error;
    throw error;
  }
  return expect.fail(`expected ${type ? `a ${type.name}` : 'a failure'}`);
}

/** `error` is a MeetingAuthError (kind `auth`: credentials or token refused) with these fields. */
export const expectAuthError = (error: unknown, fields: Record<string, unknown>): void => {
  expect(error).toBeInstanceOf(MeetingAuthError);
  expect(error).toMatchObject({ kind: 'auth', ...fields });
};
