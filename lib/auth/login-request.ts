import type { AccountCredentials, ApiDialect, MeetingCredentials } from '../config/index.js';
import type { HttpMethod } from '../http/transport.js';
import { signAppIdAuth } from './app-id-signature.js';

export const AUTH_API = { account: 'authAccount', appId: 'authAppId', legacy: 'authLegacy' } as const;
export type AuthApi = (typeof AUTH_API)[keyof typeof AUTH_API];

export interface LoginRequest {
  readonly api: AuthApi;
  readonly method: HttpMethod;
  readonly path: string;
  /** Contains the credential (Basic / HMAC): never log or attach to errors. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Record<string, unknown>;
}

/** UTF-8 before Base64, so non-ASCII passwords work (the Node SDK's hand-rolled Base64 does not, docs/meeting-api.md §1.6). */
export const basicAuth = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

const accountLogin = (credentials: AccountCredentials, dialect: ApiDialect): LoginRequest => {
  const authorization = basicAuth(credentials.account, credentials.password.reveal());
  if (dialect === 'legacy') {
    return {
      api: AUTH_API.legacy,
      method: 'PUT',
      path: '/rest/usg/sso/v1/auth/account',
      headers: { Authorization: authorization },
      body: { account: credentials.account, clientType: 0, createTokenType: 0, forceLoginInd: 0 },
    };
  }
  return {
    api: AUTH_API.account,
    method: 'POST',
    path: '/v1/usg/acs/auth/account',
    headers: { Authorization: authorization },
    // clientType 72 = API caller: 64 concurrent tokens instead of one (docs/meeting-api.md §1.5).
    body: { account: credentials.account, clientType: 72 },
  };
};

/** Builds the login call for the configured mode and dialect (a fresh signature each time). */
export const buildLoginRequest = (
  credentials: MeetingCredentials,
  dialect: ApiDialect,
  nowMs: number,
): LoginRequest => {
  if (credentials.mode === 'account') return accountLogin(credentials, dialect);
  if (dialect === 'legacy') throw new Error('the legacy dialect supports account/password login only');
  const auth = signAppIdAuth(credentials, nowMs);
  return {
    api: AUTH_API.appId,
    method: 'POST',
    path: '/v2/usg/acs/auth/appauth',
    // docs/meeting-api.md §8 D8: send both the `access=` part and X-Token-Type although older SDKs omit them.
    headers: { Authorization: auth.authorization, 'X-Token-Type': 'LongTicket' },
    body: auth.body,
  };
};
