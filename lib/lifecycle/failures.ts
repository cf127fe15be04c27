import { EventValidationError } from '../events/errors.js';
import { MeetingError, MemberConflictError } from '../http/errors.js';

/**
 * Failures that no retry can fix: a malformed event, an account owned by someone else, a request
 * the API rejects as invalid. The worker dead-letters these at once with the reason, so they do
 * not hold up the employee's later events (nor push them into the DLQ with their receive counts).
 * Everything else (throttling, 5xx, timeouts, auth, a lost write race) is retried.
 */
export const isPermanentFailure = (error: unknown): boolean =>
  error instanceof EventValidationError ||
  error instanceof MemberConflictError ||
  (error instanceof MeetingError && error.kind === 'permanent');

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
