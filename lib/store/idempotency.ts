import {
  IdempotencyItemAlreadyExistsError,
  IdempotencyItemNotFoundError,
  IdempotencyRecordStatus,
  PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS,
} from '@aws-lambda-powertools/idempotency';
import { BasePersistenceLayer, IdempotencyRecord } from '@aws-lambda-powertools/idempotency/persistence';
import { type DynamoPort, type Item, isConditionFailure } from './dynamo-port.js';
import { storeCall, toStoreError } from './errors.js';
import { idempotencyPk } from './keys.js';
import { TABLE_KEYS } from './table.js';

export interface IdempotencyPersistenceOptions {
  readonly client: DynamoPort;
  readonly tableName: string;
  /** Partitions records per function: pk = IDEMPOTENCY#<functionName>. */
  readonly functionName: string;
}

/** Powertools' attribute names (status, in_progress_expiration, data, validation); the expiry is our TTL. */
const ATTR = { ...PERSISTENCE_ATTRIBUTE_KEY_MAPPINGS, expiryAttr: TABLE_KEYS.ttl } as const;

type RecordStatus = ConstructorParameters<typeof IdempotencyRecord>[0]['status'];

/**
 * Powertools' DynamoDB persistence layer (DynamoDBPersistenceLayer in
 * @aws-lambda-powertools/idempotency), over DynamoPort instead of AWS SDK v3, whose client it
 * imports at module load. The same logic and item layout, so records written by either are read
 * by the other: a conditional put that takes a key only if it is absent, expired (`ttl`, epoch
 * seconds), or in progress past `in_progress_expiration` (epoch ms: the invocation's remaining
 * time, so a crashed invocation does not block retries); the stored result and payload hash
 * (`validation`) are written on success. Everything else (hashing, validation, expiry, the
 * in-progress and already-done errors) is Powertools' own BasePersistenceLayer.
 */
class DynamoIdempotencyPersistence extends BasePersistenceLayer {
  readonly #client: DynamoPort;
  readonly #tableName: string;
  readonly #pk: string;

  constructor(options: IdempotencyPersistenceOptions) {
    super();
    this.#client = options.client;
    this.#tableName = options.tableName;
    this.#pk = idempotencyPk(options.functionName);
  }

  #key(idempotencyKey: string) {
    return { [TABLE_KEYS.pk]: this.#pk, [TABLE_KEYS.sk]: idempotencyKey };
  }

  #recordOf(item: Item): IdempotencyRecord {
    return new IdempotencyRecord({
      // With a sort key, the idempotency key is the sort key (the partition is the function's).
      idempotencyKey: String(item[TABLE_KEYS.sk]),
      sortKey: String(item[TABLE_KEYS.sk]),
      status: item[ATTR.statusAttr] as RecordStatus,
      expiryTimestamp: item[ATTR.expiryAttr] as number | undefined,
      inProgressExpiryTimestamp: item[ATTR.inProgressExpiryAttr] as number | undefined,
      responseData: item[ATTR.dataAttr] as IdempotencyRecord['responseData'],
      payloadHash: item[ATTR.validationKeyAttr] as string | undefined,
    });
  }

  protected async _getRecord(idempotencyKey: string): Promise<IdempotencyRecord> {
    const { Item: item } = await storeCall('getIdempotencyRecord', () =>
      this.#client.get({ TableName: this.#tableName, Key: this.#key(idempotencyKey), ConsistentRead: true }),
    );
    if (!item) throw new IdempotencyItemNotFoundError();
    return this.#recordOf(item);
  }

  protected async _putRecord(record: IdempotencyRecord): Promise<void> {
    const now = Date.now();
    try {
      await this.#client.put({
        TableName: this.#tableName,
        Item: {
          ...this.#key(record.idempotencyKey),
          [ATTR.expiryAttr]: record.expiryTimestamp,
          [ATTR.statusAttr]: record.getStatus(),
          ...(record.inProgressExpiryTimestamp !== undefined && {
            [ATTR.inProgressExpiryAttr]: record.inProgressExpiryTimestamp,
          }),
          ...(this.isPayloadValidationEnabled() &&
            record.payloadHash !== undefined && { [ATTR.validationKeyAttr]: record.payloadHash }),
        },
        // Free: never used, expired, or in progress past the invocation that took it.
        ConditionExpression:
          'attribute_not_exists(#id) OR #expiry < :now OR ' +
          '(#status = :inprogress AND attribute_exists(#in_progress_expiry) AND #in_progress_expiry < :now_in_millis)',
        ExpressionAttributeNames: {
          '#id': TABLE_KEYS.pk,
          '#expiry': ATTR.expiryAttr,
          '#in_progress_expiry': ATTR.inProgressExpiryAttr,
          '#status': ATTR.statusAttr,
        },
        ExpressionAttributeValues: {
          ':now': now / 1000,
          ':now_in_millis': now,
          ':inprogress': IdempotencyRecordStatus.INPROGRESS,
        },
        // The record in the way comes back with the failure: no second read to answer a duplicate.
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new IdempotencyItemAlreadyExistsError(
          `Failed to put record for already existing idempotency key: ${record.idempotencyKey}`,
          error.item && this.#recordOf(error.item),
        );
      }
      throw toStoreError('putIdempotencyRecord', error);
    }
  }

  protected async _updateRecord(record: IdempotencyRecord): Promise<void> {
    const names: Record<string, string> = { '#expiry': ATTR.expiryAttr, '#status': ATTR.statusAttr };
    const values: Record<string, unknown> = {
      ':expiry': record.expiryTimestamp,
      ':status': record.getStatus(),
    };
    const sets = ['#expiry = :expiry', '#status = :status'];
    if (record.responseData !== undefined) {
      sets.push('#response_data = :response_data');
      names['#response_data'] = ATTR.dataAttr;
      values[':response_data'] = record.responseData;
    }
    if (this.isPayloadValidationEnabled()) {
      sets.push('#validation_key = :validation_key');
      names['#validation_key'] = ATTR.validationKeyAttr;
      values[':validation_key'] = record.payloadHash;
    }
    await storeCall('updateIdempotencyRecord', () =>
      this.#client.update({
        TableName: this.#tableName,
        Key: this.#key(record.idempotencyKey),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  protected async _deleteRecord(record: IdempotencyRecord): Promise<void> {
    await storeCall('deleteIdempotencyRecord', () =>
      this.#client.delete({ TableName: this.#tableName, Key: this.#key(record.idempotencyKey) }),
    );
  }
}

/**
 * Powertools idempotency records in the lifecycle table: pk = IDEMPOTENCY#<functionName>,
 * sk = the idempotency key, expiry in the table's TTL attribute (epoch seconds).
 */
export const createIdempotencyPersistence = (
  options: IdempotencyPersistenceOptions,
): BasePersistenceLayer => {
  if (!options.tableName) throw new TypeError('createIdempotencyPersistence: tableName is required');
  if (!options.functionName) throw new TypeError('createIdempotencyPersistence: functionName is required');
  return new DynamoIdempotencyPersistence(options);
};
