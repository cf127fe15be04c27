import { ERROR_CODE } from './constants.js';

/**
 * An API error the simulator answers with. The current dialect renders it as HTTP status +
 * `{error_code, error_msg, request_id}`; the legacy dialect as an HTTP 200 envelope whose
 * returnCode is the code's digits.
 */
export class SimError extends Error {
  override readonly name = 'SimError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const paramInvalid = (message: string): SimError =>
  new SimError(400, ERROR_CODE.paramInvalid, message);

export const userNotFound = (account: string): SimError =>
  new SimError(400, ERROR_CODE.userNotFound, `user does not exist: ${account}`);

export const alreadyExists = (what: string): SimError =>
  new SimError(400, ERROR_CODE.alreadyExists, `account already exists: ${what}`);

export const tokenInvalid = (): SimError =>
  new SimError(401, ERROR_CODE.tokenInvalid, 'access token is invalid or has expired');

export const deptNotFound = (code: string): SimError =>
  new SimError(400, ERROR_CODE.deptNotFound, `department does not exist: ${code}`);
