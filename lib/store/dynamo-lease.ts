import type { DynamoPort, Key } from './dynamo-port.js';
import { compareAndDelete, unlessConditionFails } from './errors.js';
import { ITEM_TYPES, ttlSeconds } from './keys.js';
import { TABLE_KEYS } from './table.js';

/**
 * A lease item: taken if free, expired (a crashed holder) or already ours; released only by its
 * holder. Used for the fleet-wide login and the disable flusher.
 */
export const createDynamoLease = (client: DynamoPort, tableName: string) => ({
  acquire: (key: Key, holder: string, ttlMs: number, now: number) =>
    unlessConditionFails('acquireLease', () =>
      client.put({
        TableName: tableName,
        Item: {
          ...key,
          type: ITEM_TYPES.lease,
          holder,
          leaseUntil: now + ttlMs,
          [TABLE_KEYS.ttl]: ttlSeconds(now + ttlMs),
        },
        ConditionExpression: 'attribute_not_exists(#pk) OR #until < :now OR #holder = :holder',
        ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#until': 'leaseUntil', '#holder': 'holder' },
        ExpressionAttributeValues: { ':now': now, ':holder': holder },
      }),
    ),

  release: async (key: Key, holder: string) => {
    await compareAndDelete(client, 'releaseLease', { tableName, key, attribute: 'holder', value: holder });
  },
});
