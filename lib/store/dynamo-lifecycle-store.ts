import { type Clock, sleep, systemClock } from '../shared/index.js';
import {
  type DynamoPort,
  isConditionFailure,
  type Key,
  type PageCursor,
  type PutInput,
  type QueryInput,
} from './dynamo-port.js';
import { storeCall, toStoreError, unlessConditionFails } from './errors.js';
import {
  actionKey,
  actionToItem,
  auditToItem,
  DEFAULT_AUDIT_RETENTION_DAYS,
  employeeKey,
  employeeToItem,
  type Item,
  itemToAction,
  itemToAudit,
  itemToEmployee,
} from './items.js';
import { employeePk, GSI1_PARTITIONS, sortableTime } from './keys.js';
import { TABLE_KEYS } from './table.js';
import { type EmployeeRecord, type LifecycleStore, StaleWriteError } from './types.js';

/** BatchGetItem takes at most 100 keys per call. */
const BATCH_GET_MAX = 100;
const DAY_MS = 24 * 3600 * 1000;

export interface DynamoLifecycleStoreOptions {
  readonly client: DynamoPort;
  readonly tableName: string;
  /** Stamps audit TTLs. */
  readonly clock?: Clock;
  /** Days an audit entry is kept (its TTL); AUDIT_RETENTION_DAYS, default 400. */
  readonly auditRetentionDays?: number;
  /** Items per Query page (DynamoDB's 1 MB pages when absent); small values exercise paging. */
  readonly pageSize?: number;
}

/** LifecycleStore over the single table (layout in docs/store.md). */
export const createDynamoLifecycleStore = ({
  client,
  tableName,
  clock = systemClock,
  pageSize,
  auditRetentionDays = DEFAULT_AUDIT_RETENTION_DAYS,
}: DynamoLifecycleStoreOptions): LifecycleStore => {
  if (!tableName) throw new TypeError('createDynamoLifecycleStore: tableName is required');
  if (!(auditRetentionDays > 0)) throw new RangeError('auditRetentionDays must be > 0');

  /** Runs a Query over every page (a listing that stops early would look like missing records). */
  const queryAll = async (operation: string, input: Omit<QueryInput, 'TableName'>) => {
    const items: Item[] = [];
    let count = 0;
    let startKey: PageCursor | undefined;
    do {
      const page = await storeCall(operation, () =>
        client.query({
          ...input,
          TableName: tableName,
          ...(pageSize !== undefined && { Limit: pageSize }),
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...(page.Items as Item[]));
      count += page.Count;
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
        client.get({ TableName: tableName, Key: employeeKey(employeeId), ConsistentRead: true }),
      );
      return item ? itemToEmployee(item) : undefined;
    },

    async getEmployees(employeeIds) {
      const found = new Map<string, EmployeeRecord>();
      const ids = [...new Set(employeeIds)];
      for (let i = 0; i < ids.length; i += BATCH_GET_MAX) {
        let keys: Key[] = ids.slice(i, i + BATCH_GET_MAX).map(employeeKey);
        // Unprocessed keys (throttling, the 16 MB answer cap) are asked again, with a short backoff.
        for (let attempt = 0; keys.length > 0; attempt++) {
          if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
          const answer = await storeCall('getEmployees', () =>
            client.batchGet({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of answer.Responses[tableName] ?? []) {
            const record = itemToEmployee(item as Item);
            found.set(record.employeeId, record);
          }
          keys = answer.UnprocessedKeys[tableName]?.Keys ?? [];
        }
      }
      return found;
    },

    async putEmployee(record, expectedRevision) {
      // First write: the record must not exist; later writes: nobody wrote since we read it.
      // Revision 0 is a record written before revisions existed (no attribute yet).
      const condition: Pick<
        PutInput,
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
        await client.put({ TableName: tableName, Item: employeeToItem(record), ...condition });
      } catch (error) {
        if (isConditionFailure(error)) {
          const expected = expectedRevision === undefined ? 'no record' : `revision ${expectedRevision}`;
          throw new StaleWriteError(`stale write for employee ${record.employeeId}: expected ${expected}`, {
            cause: error,
          });
        }
        throw toStoreError('putEmployee', error);
      }
    },

    async markApplying(employeeId, at) {
      // No record (a first hire): nothing for cleanup to overtake, so a failed condition is fine.
      await unlessConditionFails('markApplying', () =>
        client.update({
          TableName: tableName,
          Key: employeeKey(employeeId),
          UpdateExpression: 'SET #applying = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#applying': 'applyingSince', '#pk': TABLE_KEYS.pk },
          ExpressionAttributeValues: { ':at': at },
        }),
      );
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
        client.put({ TableName: tableName, Item: actionToItem(action) }),
      );
    },

    async listDueActions(now) {
      // gsi1sk starts with the zero-padded dueAt, so "< now + 1" means dueAt <= now, oldest first.
      const { items } = await queryGsi1('listDueActions', GSI1_PARTITIONS.actions, sortableTime(now + 1));
      return items.map(itemToAction);
    },

    async completeAction(action) {
      await storeCall('completeAction', () =>
        client.delete({ TableName: tableName, Key: actionKey(action) }),
      );
    },

    async audit(entry) {
      const expiresAt = clock.now() + auditRetentionDays * DAY_MS;
      await storeCall('audit', () =>
        client.put({ TableName: tableName, Item: auditToItem(entry, expiresAt) }),
      );
    },

    async listAudit(employeeId) {
      // The employee's partition holds its record, scheduled actions and audit: one ranged Query.
      const { items } = await queryAll('listAudit', {
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :audit)',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#sk': TABLE_KEYS.sk },
        ExpressionAttributeValues: { ':pk': employeePk(employeeId), ':audit': 'AUDIT#' },
        ConsistentRead: true,
      });
      // DynamoDB deletes expired items late (docs/store.md "TTL and expiry"): expiry is decided here.
      const now = clock.now();
      return items.filter((item) => !(Number(item[TABLE_KEYS.ttl]) * 1000 <= now)).map(itemToAudit);
    },
  } satisfies LifecycleStore;
};
