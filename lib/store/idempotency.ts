import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { idempotencyPk } from './keys.js';
import { TABLE_KEYS } from './table.js';

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
