/**
 * Errors of lib/lifecycle. Like every error family here they carry `retryable`, which is what the
 * worker decides on (lib/lifecycle/failures.ts): retry later, or dead-letter at once.
 */
export class LifecycleError extends Error {
  override readonly name: string = 'LifecycleError';
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/** A pending disable is being flushed right now: retry the event shortly. */
export class OffboardingBusyError extends LifecycleError {
  override readonly name = 'OffboardingBusyError';
  constructor(message: string) {
    super(message, { retryable: true });
  }
}

/** An operator named a stage that is not the open one. */
export class StageMismatchError extends LifecycleError {
  override readonly name = 'StageMismatchError';
  constructor(message: string) {
    super(message, { retryable: false });
  }
}

/** Cleanup could not read a complete member listing, so it decided nothing. */
export class CleanupAbortedError extends LifecycleError {
  override readonly name = 'CleanupAbortedError';
  constructor(message: string, cause: unknown) {
    super(message, { retryable: true, cause });
  }
}
