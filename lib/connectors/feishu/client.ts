import type { FeishuIdType } from '../../config/connectors-config.js';
import type { Clock } from '../../shared/clock.js';
import type { Secret } from '../../shared/secret.js';
import { ConnectorError } from '../errors.js';
import type { VendorHttp } from '../vendor-http.js';
import { apiEnvelopeSchema, type FeishuUser, tokenAnswerSchema, userAnswerSchema } from './payload.js';

/** Codes the official SDKs treat as an invalid tenant or app token: fetch a new one and retry once. */
const TOKEN_INVALID = new Set([99991663, 99991664, 99991671]);
/** "no user authority": the user is outside the app's contact scope (or no longer in the directory). */
const NO_USER_AUTHORITY = 41050;
/** The official Go SDK renews a token 3 minutes before it expires. */
const TOKEN_RENEW_MS = 3 * 60_000;

export type UserLookup =
  | { readonly kind: 'found'; readonly user: FeishuUser }
  | { readonly kind: 'notFound' }
  | { readonly kind: 'forbidden'; readonly code: number };

export interface FeishuClientOptions {
  readonly baseUrl: string;
  readonly appId: string;
  readonly appSecret: Secret;
  readonly http: VendorHttp;
  readonly clock: Clock;
}

/**
 * The two Open API calls the connector needs: a tenant_access_token for a self-built app (kept
 * in memory until 3 minutes before it expires; one request at a time per process) and GET user.
 */
export const createFeishuClient = ({ baseUrl, appId, appSecret, http, clock }: FeishuClientOptions) => {
  const base = baseUrl.replace(/\/+$/, '');
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  const login = async (signal?: AbortSignal): Promise<string> => {
    const response = await http({
      method: 'POST',
      url: `${base}/open-apis/auth/v3/tenant_access_token/internal`,
      headers: {},
      body: { app_id: appId, app_secret: appSecret.reveal() },
      ...(signal && { signal }),
    });
    const answer = tokenAnswerSchema.safeParse(response.body);
    if (answer.success) {
      cached = {
        token: answer.data.tenant_access_token,
        renewAt: clock.now() + answer.data.expire * 1000 - TOKEN_RENEW_MS,
      };
      return answer.data.tenant_access_token;
    }
    const code = apiEnvelopeSchema.safeParse(response.body);
    if (response.status >= 500 || response.status === 429 || !code.success) {
      throw new ConnectorError('feishu', 'vendorUnavailable', `tenant_access_token: HTTP ${response.status}`);
    }
    throw new ConnectorError(
      'feishu',
      'vendorAuth',
      `tenant_access_token refused (code ${code.data.code}): check the app id and secret`,
    );
  };

  const token = (signal?: AbortSignal): Promise<string> => {
    if (cached && clock.now() < cached.renewAt) return Promise.resolve(cached.token);
    pending ??= login(signal).finally(() => {
      pending = undefined;
    });
    return pending;
  };

  const readUser = async (
    id: string,
    idType: FeishuIdType,
    retried: boolean,
    signal?: AbortSignal,
  ): Promise<UserLookup> => {
    const bearer = await token(signal);
    const query = new URLSearchParams({ user_id_type: idType, department_id_type: 'department_id' });
    const response = await http({
      method: 'GET',
      url: `${base}/open-apis/contact/v3/users/${encodeURIComponent(id)}?${query}`,
      headers: { Authorization: `Bearer ${bearer}` },
      ...(signal && { signal }),
    });
    const answer = userAnswerSchema.safeParse(response.body);
    if (answer.success) return { kind: 'found', user: answer.data.data.user };
    const envelope = apiEnvelopeSchema.safeParse(response.body);
    const code = envelope.success ? envelope.data.code : undefined;
    if (code !== undefined && TOKEN_INVALID.has(code)) {
      if (cached?.token === bearer) cached = undefined;
      if (!retried) return readUser(id, idType, true, signal);
      throw new ConnectorError('feishu', 'vendorAuth', `GET user: token refused twice (code ${code})`);
    }
    if (code === NO_USER_AUTHORITY) return { kind: 'forbidden', code };
    if (response.status === 404) return { kind: 'notFound' };
    if (response.status >= 500 || response.status === 429 || code === undefined || code === 0) {
      throw new ConnectorError(
        'feishu',
        'vendorUnavailable',
        `GET user: HTTP ${response.status}${code ? ` code ${code}` : ''}`,
      );
    }
    throw new ConnectorError(
      'feishu',
      'vendorRejected',
      `GET user ${id}: refused (HTTP ${response.status}, code ${code})`,
    );
  };

  return {
    getUser: (id: string, idType: FeishuIdType, signal?: AbortSignal) => readUser(id, idType, false, signal),
  };
};
export type FeishuClient = ReturnType<typeof createFeishuClient>;
