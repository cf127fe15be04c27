import { z } from 'zod';
import type { MeetingApi } from './api-names.js';
import type { Caller } from './caller.js';
import type { ApiRequest, Dialect } from './dialects/types.js';
import { ACCOUNT_TYPE, type AccountType, meetingAccountSchema } from './schemas.js';
import type { CallOptions } from './types.js';
import { parseWith, validateRequest } from './validate.js';

/** What the operation modules share: one caller, one dialect, the default selector type. */
export interface ClientContext {
  readonly caller: Caller;
  readonly dialect: Dialect;
  readonly accountType: AccountType;
}

export const accountTypeOf = (context: ClientContext, options?: CallOptions): AccountType =>
  options?.accountType ?? context.accountType;

const thirdAccountSchema = z.lazy(() => z.string().min(1).max(64));

/** Checks a path/body selector against the rules of its accountType (nothing sent if invalid). */
export const validateSelector = (api: string, account: string, accountType: AccountType): string =>
  validateRequest(
    api,
    accountType === ACCOUNT_TYPE.thirdAccount ? thirdAccountSchema : meetingAccountSchema,
    account,
  );

/**
 * The selector type of a call (its option, else the client's default), once every account of
 * the call is checked against that type's rules: nothing is sent for an invalid selector.
 */
export const checkedAccountType = (
  context: ClientContext,
  api: string,
  accounts: readonly string[],
  options?: CallOptions,
): AccountType => {
  const accountType = accountTypeOf(context, options);
  for (const account of accounts) validateSelector(api, account, accountType);
  return accountType;
};

/** Only the caller's trace id, signal and budget travel down; accountType was resolved already. */
export const callContext = (options?: CallOptions) => ({
  requestId: options?.requestId,
  signal: options?.signal,
  budget: options?.budget,
});

/** A read of one account (getMember, getAdmin): selector checked first, the answer read tolerantly. */
export const readByAccount =
  <S extends z.ZodType>(
    context: ClientContext,
    api: MeetingApi,
    request: (account: string, accountType: AccountType) => ApiRequest,
    schema: S,
  ) =>
  async (account: string, options?: CallOptions): Promise<z.output<S>> => {
    const accountType = checkedAccountType(context, api, [account], options);
    return context.caller.call(request(account, accountType), parseWith(api, schema), callContext(options));
  };
