import { z } from 'zod';
import type { CachedToken, TokenCache } from '../auth/types.js';
import { type Clock, systemClock } from '../shared/index.js';
import { createDynamoLease } from './dynamo-lease.js';
import type { DynamoPort } from './dynamo-port.js';
import { compareAndDelete, storeCall, unlessConditionFails } from './errors.js';
import { ITEM_TYPES, SORT_KEYS, tokenPk, ttlSeconds } from './keys.js';
import { TABLE_KEYS } from './table.js';

export interface DynamoTokenCacheOptions {
  readonly client: DynamoPort;
  readonly tableName: string;
  /** Decides expiry on read and lease ownership. */
  readonly clock?: Clock;
}

const tokenItemSchema = z.lazy(() =>
  z.object({ accessToken: z.string(), expiresAt: z.number(), issuedAt: z.number() }),
);

/**
 * Fleet-wide TokenCache on the lifecycle table: one token item and one lease item per cache key.
 * Tokens are stored as they are (the table is encrypted at rest); they never appear in errors.
 */
export const createDynamoTokenCache = ({
  client,
  tableName,
  clock = systemClock,
}: DynamoTokenCacheOptions): TokenCache => {
  if (!tableName) throw new TypeError('createDynamoTokenCache: tableName is required');
  const lease = createDynamoLease(client, tableName);
  const key = (cacheKey: string, sk: string) => ({ [TABLE_KEYS.pk]: tokenPk(cacheKey), [TABLE_KEYS.sk]: sk });

  return {
    async get(cacheKey) {
      const { Item: item } = await storeCall('getToken', () =>
        client.get({ TableName: tableName, Key: key(cacheKey, SORT_KEYS.token), ConsistentRead: true }),
      );
      const parsed = tokenItemSchema.safeParse(item);
      // TTL deletion lags (up to days), so expiry is decided here; a malformed item is a miss.
      if (!parsed.success || parsed.data.expiresAt <= clock.now()) return undefined;
      const { accessToken, expiresAt, issuedAt } = parsed.data;
      return { accessToken, expiresAt, issuedAt } satisfies CachedToken;
    },

    async set(cacheKey, token) {
      // Two racing logins: keep the newer token (with one-token-per-account logins it is the valid one).
      await unlessConditionFails('setToken', () =>
        client.put({
          TableName: tableName,
          Item: {
            ...key(cacheKey, SORT_KEYS.token),
            type: ITEM_TYPES.token,
            accessToken: token.accessToken,
            expiresAt: token.expiresAt,
            issuedAt: token.issuedAt,
            [TABLE_KEYS.ttl]: ttlSeconds(token.expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#pk) OR #issuedAt <= :issuedAt',
          ExpressionAttributeNames: { '#pk': TABLE_KEYS.pk, '#issuedAt': 'issuedAt' },
          ExpressionAttributeValues: { ':issuedAt': token.issuedAt },
        }),
      );
    },

    async invalidate(cacheKey, accessToken) {
      // Only the token that got the 401: if a worker already cached a fresh one, it stays.
      await compareAndDelete(client, 'invalidateToken', {
        tableName,
        key: key(cacheKey, SORT_KEYS.token),
        attribute: 'accessToken',
        value: accessToken,
      });
    },

    acquireLease: (cacheKey, holder, ttlMs) =>
      lease.acquire(key(cacheKey, SORT_KEYS.lease), holder, ttlMs, clock.now()),

    releaseLease: (cacheKey, holder) => lease.release(key(cacheKey, SORT_KEYS.lease), holder),
  };
};
