import { type DynamoPort, DynamoServiceError, isConditionFailure, type Key } from './dynamo-port.js';

/** How a failed store call should be handled; decided once, where the error is wrapped. */
export const STORE_ERROR_KIND = {
  throttled: 'throttled',
  retryable: 'retryable',
  permanent: 'permanent',
} as const;
export type StoreErrorKind = (typeof STORE_ERROR_KIND)[keyof typeof STORE_ERROR_KIND];

/**
 * A DynamoDB call failed after the client's own retries. Carries the logical operation and never the
 * item (tokens live in this table), so it is safe to log.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly kind: StoreErrorKind;
  readonly operation: string;

  constructor(message: string, details: { kind: StoreErrorKind; operation: string; cause?: unknown }) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = details.kind;
    this.operation = details.operation;
  }

  get retryable(): boolean {
    return this.kind !== STORE_ERROR_KIND.permanent;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, kind: this.kind, operation: this.operation };
  }
}

/** DynamoDB's answers to a request rate above what the table or account allows. */
const THROTTLING = new Set([
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
]);

/**
 * Classifies a failed call by DynamoDB's error name and HTTP status (DynamoServiceError), never
 * by its message text: throttling is `throttled`, a 5xx `retryable`, any other answer (a
 * failed condition, a missing table, a rejected request) `permanent`.
 */
export const classifyStoreError = (error: unknown): StoreErrorKind => {
  if (error instanceof DynamoServiceError) {
    if (THROTTLING.has(error.name)) return STORE_ERROR_KIND.throttled;
    return error.statusCode >= 500 ? STORE_ERROR_KIND.retryable : STORE_ERROR_KIND.permanent;
  }
  // A programming error (e.g. an unmarshallable value) will not heal on retry...
  if (error instanceof TypeError || error instanceof RangeError) return STORE_ERROR_KIND.permanent;
  // ...anything else without an answer never reached DynamoDB (network, timeout).
  return STORE_ERROR_KIND.retryable;
};

export const toStoreError = (operation: string, error: unknown): StoreError => {
  if (error instanceof StoreError) return error;
  const kind = classifyStoreError(error);
  const name = (error as { name?: unknown } | undefined)?.name ?? 'Error';
  return new StoreError(`store ${operation} failed (${kind}): ${name}`, { kind, operation, cause: error });
};

/** Runs one store call, wrapping any failure as a StoreError naming the operation. */
export const storeCall = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (error) {
    throw toStoreError(operation, error);
  }
};

/** A conditional write that lost its condition is an expected outcome, not an error: false. */
export const unlessConditionFails = async (
  operation: string,
  fn: () => Promise<unknown>,
): Promise<boolean> => {
  try {
    await fn();
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw toStoreError(operation, error);
  }
};

/**
 * Deletes an item only while `attribute` still holds `value` (a lease's holder, a stage id, a
 * cached token): whoever replaced it since keeps it. False when it no longer held.
 */
export const compareAndDelete = (
  client: Pick<DynamoPort, 'delete'>,
  operation: string,
  target: { tableName: string; key: Key; attribute: string; value: unknown },
): Promise<boolean> =>
  unlessConditionFails(operation, () =>
    client.delete({
      TableName: target.tableName,
      Key: target.key,
      ConditionExpression: '#attribute = :value',
      ExpressionAttributeNames: { '#attribute': target.attribute },
      ExpressionAttributeValues: { ':value': target.value },
    }),
  );
