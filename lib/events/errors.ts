import type { DeliveryError } from './delivery-errors.js';

/**
 * An event that does not match the contract. Retrying cannot fix it (`kind: 'permanent'`);
 * `errors` say where, without the values.
 */
export class EventValidationError extends Error {
  override readonly name = 'EventValidationError';
  readonly kind = 'permanent' as const;
  readonly retryable = false;
  readonly errors: readonly DeliveryError[];

  constructor(message: string, errors: readonly DeliveryError[], options?: { cause?: unknown }) {
    super(message, options);
    this.errors = errors;
  }
}
