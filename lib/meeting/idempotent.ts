import { ERROR_KIND, isMeetingError, type MeetingError } from '../http/errors.js';

/**
 * Writes whose target state may already hold: granting an admin role to an admin, disabling a
 * disabled member, deleting a deleted one. Huawei documents no "already done" answer for these
 * (docs/meeting-api.md §5.2): a server may answer 200, or refuse with a business code we cannot
 * know in advance (a batch delete with an unknown account is refused as a whole, docs/meeting-api.md §2.7). So a
 * refusal is never trusted nor ignored blindly: the target state is read back, and the write
 * counts as done when it already holds.
 */

/**
 * A refusal that may mean "already done": a business answer (HTTP 400, or a legacy returnCode
 * over HTTP 200), not an auth, throttle or transient failure, nor our own validation (no status).
 */
export const mayBeAlreadyDone = (error: unknown): error is MeetingError =>
  isMeetingError(error) &&
  (error.kind === ERROR_KIND.notFound ||
    error.kind === ERROR_KIND.alreadyExists ||
    (error.kind === ERROR_KIND.permanent &&
      (error.status === 400 || (error.status === 200 && error.errorCode !== undefined))));

/** Reads in flight while checking which accounts of a refused batch are already done. */
export const READ_BACK_CONCURRENCY = 8;

/** How far a batch's accounts already are: done, still to do, or unknown to the server. */
export interface Progress {
  readonly pending: readonly string[];
  readonly missing: readonly string[];
}

/**
 * Runs one batch write; on a refusal that may mean "already done", asks `progress` how far the
 * accounts already are and retries once with those still pending. `missingIsDone` says whether
 * an account the server does not know counts as done (delete) or keeps the refusal (status).
 */
export const settleBatch = async (
  accounts: readonly string[],
  write: (accounts: readonly string[]) => Promise<void>,
  progress: (accounts: readonly string[]) => Promise<Progress>,
  missingIsDone: boolean,
): Promise<void> => {
  try {
    await write(accounts);
    return;
  } catch (error) {
    if (!mayBeAlreadyDone(error)) throw error;
    const { pending, missing } = await progress(accounts);
    if (!missingIsDone && missing.length > 0) throw error;
    if (pending.length === 0) return;
    // Nothing was already done: the refusal has another reason, and it stands.
    if (pending.length === accounts.length) throw error;
    await write(pending);
  }
};

/** Maps `fn` over `items` with at most `limit` calls in flight, keeping order. */
export const mapLimited = async <T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> => {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};
