import { ERROR_KIND, MeetingError } from '../http/errors.js';

/**
 * The common contract of this code base's error families (MeetingError, StoreError,
 * EventValidationError, LifecycleError, StaleWriteError, QueueSendError): may a later attempt
 * succeed?
 */
interface Classified {
  readonly retryable: boolean;
}

const isClassified = (error: unknown): error is Error & Classified =>
  error instanceof Error && typeof (error as Partial<Classified>).retryable === 'boolean';

/**
 * Failures that no retry can fix: a malformed event, an account owned by someone else, a request
 * the API rejects as invalid or forbidden (HTTP 403: the signed-in account lacks the right, say
 * a common admin granting admin roles), a store item that cannot be read. The worker
 * dead-letters these at once with the reason, so they do not hold up the employee's later
 * events (a termination among them); once the rights are fixed, `npm run dlq -- replay` brings
 * them back. Everything else (throttling, 5xx, timeouts, a lost write race, unknown errors) is
 * retried. Refused Meeting credentials (a failed login, a token refused with 401) are retried
 * too: they stop every call, they are an operator's fix, and the events must wait for it.
 */
export const isPermanentFailure = (error: unknown): boolean => {
  if (error instanceof MeetingError && error.kind === ERROR_KIND.auth) return false;
  return isClassified(error) && !error.retryable;
};

/** A log- and attribute-safe one-line reason (names and server codes only, no payloads). */
export const failureReason = (error: unknown): string => {
  if (error instanceof MeetingError) {
    return [error.name, error.api, error.errorCode, error.errorMsg ?? error.message]
      .filter(Boolean)
      .join(': ')
      .slice(0, 1000);
  }
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);
};
