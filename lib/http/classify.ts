import {
  ERROR_CODES,
  ERROR_KIND,
  type ErrorKind,
  MeetingAuthError,
  MeetingError,
  type MeetingErrorDetails,
} from './errors.js';

/**
 * The one place that decides how a failed Meeting call is handled (docs/design.md "Faults,
 * outages and pacing"; codes in docs/meeting-api.md §5): every
 * layer (auth, dialects, transport) builds its errors through these functions.
 */

/** "USG.201040001" and legacy "201040001" compare equal: legacy returnCodes are the digits. */
export const codeDigits = (code: string | undefined): string | undefined =>
  code === undefined ? undefined : code.replace(/^[A-Za-z]+\./, '');

const CODE_KINDS: Readonly<Record<string, ErrorKind>> = {
  [codeDigits(ERROR_CODES.userNotFound)!]: ERROR_KIND.notFound,
  [codeDigits(ERROR_CODES.alreadyExists)!]: ERROR_KIND.alreadyExists,
  [codeDigits(ERROR_CODES.tokenInvalid)!]: ERROR_KIND.auth,
  // Client-SDK "server flow control" (docs/meeting-api.md §5.2); the only throttle code we know.
  '100000429': ERROR_KIND.throttled,
};

/** Classification of an HTTP answer (status first, then the confirmed codes of docs/meeting-api.md §5.2). */
export const kindOf = (status: number, errorCode?: string): ErrorKind => {
  if (status >= 500) return ERROR_KIND.retryable;
  if (status === 429) return ERROR_KIND.throttled;
  if (status === 401) return ERROR_KIND.auth;
  // "Insufficient permissions" (docs/meeting-api.md §5.1): the token is fine and a retry or a new
  // login cannot change the answer; only an operator granting the rights can.
  if (status === 403) return ERROR_KIND.forbidden;
  const byCode = CODE_KINDS[codeDigits(errorCode) ?? ''];
  if (byCode) return byCode;
  if (status === 408) return ERROR_KIND.retryable;
  return ERROR_KIND.permanent;
};

/**
 * Legacy returnCodes meaning "your token is no longer valid" (docs/meeting-api.md §7): besides the
 * current code's digits, the codes Huawei's 2019 legacy client treats as "not logged in"
 * (a token kicked out by another clientType-0 login among them). Inferred, not documented.
 */
const LEGACY_TOKEN_CODES: ReadonlySet<string> = new Set(['18000000', '11070001', '206010005', '201000000']);

/** Legacy envelope returnCode (HTTP 200): unknown codes are permanent. */
export const legacyKindOf = (returnCode: string): ErrorKind =>
  CODE_KINDS[returnCode] ?? (LEGACY_TOKEN_CODES.has(returnCode) ? ERROR_KIND.auth : ERROR_KIND.permanent);

export interface ErrorFields {
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
}

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;

/** Error body fields in the spellings the SDK cores accept (docs/meeting-api.md §5.1), first match wins. */
export const errorFieldsOf = (body: unknown): ErrorFields => {
  if (typeof body !== 'object' || body === null) return {};
  const b = body as Record<string, unknown>;
  const nested = typeof b.error === 'object' && b.error !== null ? (b.error as Record<string, unknown>) : {};
  return {
    errorCode: str(b.error_code) ?? str(b.errorCode) ?? str(b.code) ?? str(nested.code) ?? str(b.returnCode),
    errorMsg:
      str(b.error_msg) ?? str(b.errorMsg) ?? str(b.message) ?? str(nested.message) ?? str(b.returnMessage),
    requestId: str(b.request_id) ?? str(b.requestId),
  };
};

export interface HttpFailure {
  readonly api: string;
  readonly status: number;
  readonly body: unknown;
  /** X-Request-Id of the response (or of the request when the server echoed none). */
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  /** Errors of auth endpoints: any 4xx means the credentials were refused. */
  readonly authEndpoint?: boolean;
  /** Origin of the server that answered. */
  readonly endpoint?: string;
}

/** An answer's error, as MeetingAuthError when its kind is auth (callers catch that class). */
const classified = (message: string, details: MeetingErrorDetails): MeetingError =>
  details.kind === ERROR_KIND.auth
    ? new MeetingAuthError(message, details)
    : new MeetingError(message, details);

export const errorFromHttp = (failure: HttpFailure): MeetingError => {
  const fields = errorFieldsOf(failure.body);
  let kind = kindOf(failure.status, fields.errorCode);
  if (failure.authEndpoint && failure.status >= 400 && failure.status < 500 && failure.status !== 429) {
    kind = ERROR_KIND.auth;
  }
  const details = {
    kind,
    status: failure.status,
    errorCode: fields.errorCode,
    errorMsg: fields.errorMsg,
    requestId: fields.requestId ?? failure.requestId,
    api: failure.api,
    retryAfterMs: failure.retryAfterMs,
    endpoint: failure.endpoint,
  };
  return classified(
    `${failure.api} failed: HTTP ${failure.status}${fields.errorCode ? ` ${fields.errorCode}` : ''}`,
    details,
  );
};

/** A legacy envelope with a non-success returnCode (always HTTP 200 there). */
export const errorFromLegacyEnvelope = (
  api: string,
  returnCode: string,
  returnMessage: string | undefined,
  requestId: string | undefined,
  status: number,
  endpoint?: string,
): MeetingError => {
  const kind = legacyKindOf(returnCode);
  const details = { kind, status, errorCode: returnCode, errorMsg: returnMessage, requestId, api, endpoint };
  return classified(`${api} failed: returnCode ${returnCode}`, details);
};

/**
 * A request that got no HTTP answer: timeouts, resets, refused connections and other fetch
 * failures are all retryable (the call may or may not have reached the server).
 */
export const errorFromFailure = (
  api: string,
  cause: unknown,
  info: {
    requestId?: string;
    timedOut?: boolean;
    timeoutMs?: number;
    aborted?: boolean;
    endpoint?: string;
  },
): MeetingError => {
  const code = networkCode(cause);
  const what = info.timedOut
    ? `timed out after ${info.timeoutMs} ms`
    : info.aborted
      ? 'aborted by the caller'
      : `request failed${code ? ` (${code})` : ''}`;
  return new MeetingError(`${api} ${what}`, {
    kind: ERROR_KIND.retryable,
    api,
    requestId: info.requestId,
    endpoint: info.endpoint,
    cause,
  });
};

const networkCode = (error: unknown): string | undefined => {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
};

/** The server refused the access token itself (401, code 000000004, or a legacy token code). */
export const isTokenRejected = (error: unknown): error is MeetingError =>
  error instanceof MeetingError &&
  error.kind === ERROR_KIND.auth &&
  (error.status === 401 ||
    codeDigits(error.errorCode) === codeDigits(ERROR_CODES.tokenInvalid) ||
    LEGACY_TOKEN_CODES.has(error.errorCode ?? ''));
