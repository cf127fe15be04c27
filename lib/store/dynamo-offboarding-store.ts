import { type Clock, systemClock } from '../shared/index.js';
import type { BatchOptions } from './batch.js';
import { createDynamoDisableBuffer } from './dynamo-disable-buffer.js';
import { createDynamoLease } from './dynamo-lease.js';
import type { DynamoPort, Item, PageCursor } from './dynamo-port.js';
import { compareAndDelete, storeCall, unlessConditionFails } from './errors.js';
import { sortableTime, ttlSeconds } from './keys.js';
import { TABLE_KEYS } from './table.js';
import type { OffboardingStore, StagedAction } from './types.js';

const BREAKER_KEY = { [TABLE_KEYS.pk]: 'OFFBOARD#breaker', [TABLE_KEYS.sk]: 'STATE' };
const windowKey = (kind: string, windowStart: number) => ({
  [TABLE_KEYS.pk]: 'OFFBOARD#window',
  [TABLE_KEYS.sk]: `${kind}#${sortableTime(windowStart)}`,
});
const leaseKey = (name: string) => ({ [TABLE_KEYS.pk]: `LEASE#${name}`, [TABLE_KEYS.sk]: 'LEASE' });
const stagePk = (stageId: string) => `OFFBOARD#stage#${stageId}`;
const stagedKey = (a: Pick<StagedAction, 'stageId' | 'kind' | 'employeeId'>) => ({
  [TABLE_KEYS.pk]: stagePk(a.stageId),
  [TABLE_KEYS.sk]: `${a.kind}#${a.employeeId}`,
});

/** OffboardingStore over the single table (layout in docs/store.md). */
export const createDynamoOffboardingStore = ({
  client,
  tableName,
  clock = systemClock,
  batch,
}: {
  client: DynamoPort;
  tableName: string;
  clock?: Clock;
  /** Retry policy for unprocessed batch requests (tests shorten the backoff). */
  batch?: BatchOptions;
}): OffboardingStore => {
  const lease = createDynamoLease(client, tableName);
  const query = async (pk: string) => {
    const items: Item[] = [];
    let startKey: PageCursor | undefined;
    do {
      const page = await storeCall('query', () =>
        client.query({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ...(startKey && { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...page.Items);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  };

  return {
    ...createDynamoDisableBuffer({ client, tableName, ...(batch && { batch }) }),

    acquireLease: (name, holder, ttlMs) => lease.acquire(leaseKey(name), holder, ttlMs, clock.now()),

    releaseLease: (name, holder) => lease.release(leaseKey(name), holder),

    async countOffboarding(kind, windowStart, by, expiresAt) {
      const result = await storeCall('countOffboarding', () =>
        client.update({
          TableName: tableName,
          Key: windowKey(kind, windowStart),
          UpdateExpression: 'ADD #count :by SET #ttl = :ttl, #type = :type',
          ExpressionAttributeNames: { '#count': 'count', '#ttl': TABLE_KEYS.ttl, '#type': 'type' },
          ExpressionAttributeValues: {
            ':by': by,
            ':ttl': ttlSeconds(expiresAt),
            ':type': 'offboard-window',
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return Number(result.Attributes?.count ?? by);
    },

    async getBreaker() {
      const { Item } = await storeCall('getBreaker', () =>
        client.get({ TableName: tableName, Key: BREAKER_KEY, ConsistentRead: true }),
      );
      return Item
        ? { stageId: String(Item.stageId), openedAt: Number(Item.openedAt), reason: String(Item.reason) }
        : undefined;
    },

    async openBreaker(state) {
      const opened = await unlessConditionFails('openBreaker', () =>
        client.put({
          TableName: tableName,
          Item: { ...BREAKER_KEY, type: 'breaker', ...state },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk },
        }),
      );
      return opened ? state : ((await this.getBreaker()) ?? state);
    },

    async closeBreaker(stageId) {
      await compareAndDelete(client, 'closeBreaker', {
        tableName,
        key: BREAKER_KEY,
        attribute: 'stageId',
        value: stageId,
      });
    },

    async stageAction(action) {
      await storeCall('stageAction', () =>
        client.put({
          TableName: tableName,
          Item: { ...stagedKey(action), type: 'staged-action', ...action },
        }),
      );
    },

    async listStagedActions(stageId) {
      return (await query(stagePk(stageId))).map((item) => ({
        stageId: String(item.stageId),
        kind: item.kind as StagedAction['kind'],
        employeeId: String(item.employeeId),
        ...(item.event !== undefined && { event: String(item.event) }),
        stagedAt: Number(item.stagedAt),
      }));
    },

    async removeStagedAction(action) {
      await storeCall('removeStagedAction', () =>
        client.delete({ TableName: tableName, Key: stagedKey(action) }),
      );
    },
  };
};
