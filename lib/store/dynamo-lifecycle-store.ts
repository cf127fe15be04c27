import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { type Clock, systemClock } from '../shared/index.js';
import { storeCall, toStoreError } from './errors.js';
import {
  actionKey,
  actionToItem,
  auditToItem,
  employeeKey,
  employeeToItem,
  type Item,
  itemToAction,
  itemToEmployee,
} from './items.js';
import { GSI1_PARTITIONS, sortableTime } from './keys.js';
import { TABLE_KEYS } from './table.js';
import { type LifecycleStore, StaleWriteError } from './types.js';

export interface DynamoLifecycleStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** Stamps audit TTLs. */
  readonly clock?: Clock;
  /** Items per Query page (DynamoDB's 1 MB pages when absent); small values exercise paging. */
  readonly pageSize?: number;
}

/** LifecycleStore over the single table (layout in docs/store.md). */
export const createDynamoLifecycleStore = ({
  client,
  tableName,
  clock = systemClock,
  pageSize,
}: DynamoLifecycleStoreOptions): LifecycleStore => {
  if (!tableName) throw new TypeError('createDynamoLifecycleStore: tableName is required');

  /** Runs a Query over every page (a listing that stops early would look like missing records). */
  const queryAll = async (operation: string, input: Omit<QueryCommandInput, 'TableName'>) => {
    const items: Item[] = [];
    let count = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await storeCall(operation, () =>
        client.send(
          new QueryCommand({ ...input, TableName: tableName, Limit: pageSize, ExclusiveStartKey: startKey }),
        ),
      );
      items.push(...((page.Items ?? []) as Item[]));
      count += page.Count ?? 0;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return { items, count };
  };

  const queryGsi1 = (operation: string, partition: string, below?: string, select?: 'COUNT') =>
    queryAll(operation, {
      IndexName: TABLE_KEYS.gsi1,
      KeyConditionExpression: below === undefined ? '#gpk = :gpk' : '#gpk = :gpk AND #gsk < :below',
      ExpressionAttributeNames: {
        '#gpk': TABLE_KEYS.gsi1pk,
        ...(below === undefined ? {} : { '#gsk': TABLE_KEYS.gsi1sk }),
      },
      ExpressionAttributeValues: { ':gpk': partition, ...(below === undefined ? {} : { ':below': below }) },
      ...(select ? { Select: select } : {}),
    });

  return {
    async getEmployee(employeeId) {
      const { Item: item } = await storeCall('getEmployee', () =>
        client.send(
          new GetCommand({ TableName: tableName, Key: employeeKey(employeeId), ConsistentRead: true }),
        ),
      );
      return item ? itemToEmployee(item) : undefined;
    },

    async putEmployee(record, expectedRevision) {
      // First write: the record must not exist; later writes: nobody wrote since we read it.
      // Revision 0 is a record written before revisions existed (no attribute yet).
      const condition: Pick<
        PutCommandInput,
        'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
      > =
        expectedRevision === undefined
          ? {
              ConditionExpression: 'attribute_not_exists(#pk)',
              ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
            }
          : {
              ConditionExpression:
                expectedRevision === 0
                  ? 'attribute_not_exists(#rev) OR #rev = :expected'
                  : '#rev = :expected',
              ExpressionAttributeNames: { '#rev': 'revision' },
              ExpressionAttributeValues: { ':expected': expectedRevision },
            };
      try {
        await client.send(
          new PutCommand({ TableName: tableName, Item: employeeToItem(record), ...condition }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          const expected = expectedRevision === undefined ? 'no record' : `revision ${expectedRevision}`;
          throw new StaleWriteError(`stale write for employee ${record.employeeId}: expected ${expected}`, {
            cause: error,
          });
        }
        throw toStoreError('putEmployee', error);
      }
    },

    async listManaged() {
      const [active, disabled] = await Promise.all([
        queryGsi1('listManaged', GSI1_PARTITIONS.active),
        queryGsi1('listManaged', GSI1_PARTITIONS.disabled),
      ]);
      return [...active.items, ...disabled.items].map(itemToEmployee);
    },

    async countManaged() {
      const [active, disabled] = await Promise.all([
        queryGsi1('countManaged', GSI1_PARTITIONS.active, undefined, 'COUNT'),
        queryGsi1('countManaged', GSI1_PARTITIONS.disabled, undefined, 'COUNT'),
      ]);
      return active.count + disabled.count;
    },

    async scheduleAction(action) {
      // Same event + due time = same key: a redelivered event schedules once.
      await storeCall('scheduleAction', () =>
        client.send(new PutCommand({ TableName: tableName, Item: actionToItem(action) })),
      );
    },

    async listDueActions(now) {
      // gsi1sk starts with the zero-padded dueAt, so "< now + 1" means dueAt <= now, oldest first.
      const { items } = await queryGsi1('listDueActions', GSI1_PARTITIONS.actions, sortableTime(now + 1));
      return items.map(itemToAction);
    },

    async completeAction(action) {
      await storeCall('completeAction', () =>
        client.send(new DeleteCommand({ TableName: tableName, Key: actionKey(action) })),
      );
    },

    async audit(entry) {
      await storeCall('audit', () =>
        client.send(new PutCommand({ TableName: tableName, Item: auditToItem(entry, clock.now()) })),
      );
    },
  } satisfies LifecycleStore;
};
