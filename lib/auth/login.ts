import type { ApiDialect, MeetingCredentials } from '../config/index.js';
import { errorFromHttp } from '../http/classify.js';
import { ERROR_KIND, MeetingAuthError } from '../http/errors.js';
import { LEGACY_SUCCESS, legacyEnvelopeSchema } from '../http/legacy-envelope.js';
import { parseRetryAfter } from '../http/retry-after.js';
import type { Transport, TransportResponse } from '../http/transport.js';
import { parseResponse, responseError, withoutNulls } from '../http/wire.js';
import type { Clock } from '../shared/index.js';
import { buildLoginRequest, type LoginRequest } from './login-request.js';
import { toCachedToken } from './token-expiry.js';
import { tokenResponseSchema } from './token-response.js';
import type { CachedToken } from './types.js';

export interface LoginContext {
  readonly endpoint: string;
  readonly credentials: MeetingCredentials;
  readonly dialect: ApiDialect;
  readonly transport: Transport;
  readonly clock: Clock;
}

/**
 * One login round-trip. HTTP 4xx from an auth endpoint → MeetingAuthError (kind auth); 5xx,
 * 429 and network failures keep their retryable kinds. Errors carry status, error_code and
 * request_id, never the request (it holds the credential).
 */
export const login = async (
  context: LoginContext,
  options: { signal?: AbortSignal; requestId: string },
): Promise<CachedToken> => {
  const request = buildLoginRequest(context.credentials, context.dialect, context.clock.now());
  const response = await context.transport({
    api: request.api,
    method: request.method,
    url: `${context.endpoint}${request.path}`,
    headers: request.headers,
    body: request.body,
    contentType: 'application/json;charset=UTF-8',
    requestId: options.requestId,
    signal: options.signal,
  });
  const receivedAt = context.clock.now();
  if (response.status < 200 || response.status > 299) {
    throw errorFromHttp({
      api: request.api,
      status: response.status,
      body: response.body,
      requestId: response.requestId,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), receivedAt),
      authEndpoint: true,
      endpoint: response.endpoint,
    });
  }
  if (response.invalidJson) throw responseError(request.api, '(root): the body is not JSON', response);
  const payload = unwrapLegacyLogin(request, withoutNulls(response.body), response);
  // parseResponse names field paths only, never values: the body holds the token.
  return toCachedToken(parseResponse(request.api, tokenResponseSchema, payload, response), receivedAt);
};

/**
 * The legacy login answers the returnCode envelope (docs/meeting-api.md §7), a current server a
 * bare token object: accept both.
 */
const unwrapLegacyLogin = (request: LoginRequest, body: unknown, response: TransportResponse): unknown => {
  const envelope = legacyEnvelopeSchema.safeParse(body);
  if (!envelope.success) return body;
  const returnCode = String(envelope.data.returnCode);
  if (returnCode !== LEGACY_SUCCESS) {
    throw new MeetingAuthError(`${request.api} failed: returnCode ${returnCode}`, {
      kind: ERROR_KIND.auth,
      status: response.status,
      errorCode: returnCode,
      errorMsg: envelope.data.returnMessage,
      requestId: envelope.data.requestId ?? response.requestId,
      api: request.api,
      endpoint: response.endpoint,
    });
  }
  return envelope.data.data;
};
