import { isTokenRejected } from '../http/classify.js';
import { type Log, silentLog } from '../shared/index.js';
import type { TokenProvider } from './token-port.js';

export interface AuthHookContext {
  readonly api: string;
  readonly requestId: string;
  readonly signal?: AbortSignal;
  readonly logger?: Log;
}

/**
 * Adds the token and handles its rejection, nothing else (retries of transient failures are
 * the retry layer's job): on 401 / token-invalid it drops that token (compare-and-delete, so
 * a wave of 401s on one token causes one re-login) and repeats the call exactly once with a
 * fresh token. A second rejection surfaces as the MeetingAuthError it is.
 */
export const withToken = async <T>(
  tokens: TokenProvider,
  send: (token: string) => Promise<T>,
  context: AuthHookContext,
): Promise<T> => {
  const tokenOptions = { signal: context.signal, requestId: context.requestId };
  const token = await tokens.getToken(tokenOptions);
  try {
    return await send(token);
  } catch (error) {
    if (!isTokenRejected(error)) throw error;
    (context.logger ?? silentLog).info('meeting token rejected; logging in again', {
      api: context.api,
      requestId: context.requestId,
      errorCode: error.errorCode,
    });
    await tokens.invalidate(token);
    return send(await tokens.getToken(tokenOptions));
  }
};
