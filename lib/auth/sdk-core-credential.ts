import type { ICredential } from '@huaweicloud/huaweicloud-sdk-core/auth/ICredential.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import type { IHttpRequest } from '@huaweicloud/huaweicloud-sdk-core/http/IHttpRequest.js';
import type { TokenProvider } from './types.js';

/**
 * An sdk-core `ICredential` backed by our TokenProvider, for code that drives the official
 * SDK's HcClient (`new ClientBuilder(...).withCredential(c).withEndpoint(url).build()`): every
 * request gets `X-Access-Token` with the shared, reused token instead of the Node
 * MeetingCredentials' 43-second re-login (docs/meeting-api.md §1.6).
 *
 * Type-only imports: this file never loads sdk-core at runtime, and nothing else in lib/
 * imports sdk-core (bundle size). It is deliberately not re-exported from lib/auth/index.ts.
 *
 * Caution: sdk-core's DefaultHttpClient logs the whole axios config, headers included (so the
 * X-Access-Token), through log4js to stdout on every HTTP error. Where this adapter is used,
 * turn that logger off (`log4js.configure({ ..., categories: { default: { level: 'off' } } })`).
 */
export interface SdkCoreTokenCredential extends ICredential {
  /**
   * Drops the token last sent (call it after the SDK surfaced a 401) so the next request
   * logs in once; HcClient itself has no 401 hook.
   */
  invalidate(): Promise<void>;
}

export const createSdkCoreCredential = (tokens: TokenProvider): SdkCoreTokenCredential => {
  // Closure, not a property: the token never shows up when the credential is printed.
  let lastToken: string | undefined;
  return {
    getAk: () => undefined,
    getSk: () => undefined,
    processAuthRequest: async (_client: HcClient, request: IHttpRequest): Promise<IHttpRequest> => {
      const token = await tokens.getToken();
      lastToken = token;
      request.headers = { ...(request.headers ?? {}), 'X-Access-Token': token };
      return request;
    },
    // HcClient calls this when built with `.withRegion()`; the SDK's own Meeting credential
    // leaves it undefined and crashes (docs/meeting-api.md §1.6). Nothing to resolve here: the endpoint is fixed.
    processAuthParams: async function (this: SdkCoreTokenCredential) {
      return this;
    },
    invalidate: async () => {
      if (lastToken !== undefined) await tokens.invalidate(lastToken);
      lastToken = undefined;
    },
  };
};
