import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { IdempotencyConfigOptions } from '@aws-lambda-powertools/idempotency/types';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { idempotencyPk } from './keys.js';
import { TABLE_KEYS } from './table.js';

/**
 * How long a processed event id is remembered. HR senders retry for about 3 days (Standard
 * Webhooks), so Powertools' 1 h default would let late retries through; 7 days outlasts them.
 */
export const IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 3600;

export interface IdempotencyPersistenceOptions {
  /** A plain DynamoDBClient (Powertools marshals itself). Create it once at module scope. */
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** Partitions records per function: pk = IDEMPOTENCY#<functionName>. */
  readonly functionName: string;
}

/**
 * Powertools idempotency records in the lifecycle table: pk = IDEMPOTENCY#<functionName>,
 * sk = the idempotency key, expiry in the table's TTL attribute (epoch seconds).
 */
export const createIdempotencyPersistence = ({
  client,
  tableName,
  functionName,
}: IdempotencyPersistenceOptions): DynamoDBPersistenceLayer => {
  if (!tableName) throw new TypeError('createIdempotencyPersistence: tableName is required');
  if (!functionName) throw new TypeError('createIdempotencyPersistence: functionName is required');
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: TABLE_KEYS.pk,
    sortKeyAttr: TABLE_KEYS.sk,
    staticPkValue: idempotencyPk(functionName),
    expiryAttr: TABLE_KEYS.ttl,
  });
};

/**
 * IdempotencyConfig with our 7-day expiry. Pass `payloadValidationJmesPath` so that a reused key
 * with a different payload fails (IdempotencyValidationError) instead of returning the old result.
 * Wrapped Lambda handlers register their context, so an in-progress record expires with the
 * invocation's remaining time.
 */
export const createIdempotencyConfig = (options: IdempotencyConfigOptions = {}): IdempotencyConfig =>
  new IdempotencyConfig({ expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS, ...options });
