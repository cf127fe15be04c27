/** How a failed Meeting call should be handled; decided once, where the error is made. */
export const ERROR_KIND = {
  notFound: 'notFound',
  alreadyExists: 'alreadyExists',
  auth: 'auth',
  /** HTTP 403 on a business call: the signed-in account may not do this (not retried). */
  forbidden: 'forbidden',
  throttled: 'throttled',
  retryable: 'retryable',
  permanent: 'permanent',
} as const;
export type ErrorKind = (typeof ERROR_KIND)[keyof typeof ERROR_KIND];

export const ERROR_CODES = {
  userNotFound: 'USG.201040000',
  alreadyExists: 'USG.201040001',
  tokenInvalid: 'USG.000000004',
} as const;

export interface MeetingErrorDetails {
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  /** The logical API, e.g. "createMember". */
  readonly api?: string;
  /** Server-requested wait before retrying (Retry-After), in ms. */
  readonly retryAfterMs?: number;
  /** Origin of the server that was called (no path, no query: never a secret). */
  readonly endpoint?: string;
  readonly cause?: unknown;
}

/** Base error of lib/meeting. Check `kind` (or `instanceof`), never the message text. */
export class MeetingError extends Error {
  override readonly name: string = 'MeetingError';
  readonly kind: ErrorKind;
  readonly status?: number;
  readonly errorCode?: string;
  readonly errorMsg?: string;
  readonly requestId?: string;
  readonly api?: string;
  readonly retryAfterMs?: number;
  readonly endpoint?: string;

  constructor(message: string, details: MeetingErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.status = details.status;
    this.errorCode = details.errorCode;
    this.errorMsg = details.errorMsg;
    this.requestId = details.requestId;
    this.api = details.api;
    this.retryAfterMs = details.retryAfterMs;
    this.endpoint = details.endpoint;
  }

  get retryable(): boolean {
    return this.kind === ERROR_KIND.retryable || this.kind === ERROR_KIND.throttled;
  }

  /** Safe to log: no tokens, no bodies beyond the server's own error fields. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      kind: this.kind,
      status: this.status,
      errorCode: this.errorCode,
      errorMsg: this.errorMsg,
      requestId: this.requestId,
      api: this.api,
      endpoint: this.endpoint,
    };
  }
}

export class MeetingAuthError extends MeetingError {
  override readonly name = 'MeetingAuthError';
}

/**
 * A call the caller's time budget (what is left of a Lambda invocation) ended: not sent because
 * not even the shortest attempt fits, or sent with its timeout cut to the time left and not
 * answered within it (it may have landed, as after any timeout; a repeat is safe: creates that
 * meet their own member count as done). Either way it says nothing about Meeting; a worker
 * hands the event back instead of counting a failure.
 */
export class MeetingBudgetError extends MeetingError {
  override readonly name = 'MeetingBudgetError';
  /** The least time left for which the call would have been sent (lib/meeting/caller.ts). */
  readonly neededMs?: number;

  constructor(message: string, details: MeetingErrorDetails & { readonly neededMs?: number }) {
    super(message, details);
    this.neededMs = details.neededMs;
  }
}

/** Create hit USG.201040001 and the existing member is not ours (different thirdAccount). */
export class MemberConflictError extends MeetingError {
  override readonly name = 'MemberConflictError';
}

/** A response did not match its documented shape. */
export class MeetingResponseError extends MeetingError {
  override readonly name = 'MeetingResponseError';
}

export const isMeetingError = (error: unknown, kind?: ErrorKind): error is MeetingError =>
  error instanceof MeetingError && (kind === undefined || error.kind === kind);

export interface MeetingBatchErrorDetails extends MeetingErrorDetails {
  /** Items of the chunks that succeeded before the failure (they stay applied). */
  readonly completed: readonly string[];
  /** Items of the failed chunk and of every chunk not attempted. */
  readonly notCompleted: readonly string[];
}

/**
 * A chunked batch call stopped part-way. Keeps the failing chunk's kind/status/code, so
 * `isMeetingError(e, kind)` still works, and says which items were already applied.
 */
export class MeetingBatchError extends MeetingError {
  override readonly name = 'MeetingBatchError';
  readonly completed: readonly string[];
  readonly notCompleted: readonly string[];

  constructor(message: string, details: MeetingBatchErrorDetails) {
    super(message, details);
    this.completed = details.completed;
    this.notCompleted = details.notCompleted;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), completed: this.completed.length, notCompleted: this.notCompleted.length };
  }
}

/**
 * Runs `call`; when Meeting answers "not found", returns `fallback()` instead. The one way the
 * code base says "gone already is fine" (revoking a role, disabling or updating a member).
 */
export const ifNotFound = async <T, F>(
  call: () => Promise<T>,
  fallback: () => F | Promise<F>,
): Promise<T | F> => {
  try {
    return await call();
  } catch (error) {
    if (isMeetingError(error, ERROR_KIND.notFound)) return fallback();
    throw error;
  }
};
