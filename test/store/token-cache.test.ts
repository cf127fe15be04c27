import { inspect } from 'node:util';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCache } from '../../lib/auth/types.js';
import { createDynamoTokenCache } from '../../lib/store/dynamo-token-cache.js';
import { StoreError } from '../../lib/store/errors.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';

const T0 = Date.UTC(2025, 0, 15, 8);
const HOUR = 3600 * 1000;

describe('createDynamoTokenCache', () => {
  let db: TestDynamo;
  const clock = { t: T0, now: () => clock.t };
  let cache: TokenCache;

  beforeAll(async () => {
    db = await startDynalite();
    cache = createDynamoTokenCache({ client: db.dynamo, tableName: db.tableName, clock });
  });
  afterAll(() => db.close());

  it('stores a token with a TTL at its expiry and treats it as gone once expired', async () => {
    clock.t = T0;
    const token = { accessToken: 'tok-a', issuedAt: T0, expiresAt: T0 + 12 * HOUR + 1 };
    await cache.set('k1', token);
    expect(await cache.get('k1')).toEqual(token);

    const { Item } = await db.doc.send(
      new GetCommand({ TableName: db.tableName, Key: { pk: 'TOKEN#k1', sk: 'TOKEN' } }),
    );
    expect(Item?.ttl).toBe(Math.ceil(token.expiresAt / 1000));

    // DynamoDB deletes expired items late (and dynalite never): the read decides.
    clock.t = token.expiresAt;
    expect(await cache.get('k1')).toBeUndefined();
    expect(await cache.get('never-set')).toBeUndefined();
  });

  it('keeps the newer of two racing logins', async () => {
    clock.t = T0;
    await cache.set('k2', { accessToken: 'newer', issuedAt: T0 + 10, expiresAt: T0 + HOUR });
    await cache.set('k2', { accessToken: 'older', issuedAt: T0 + 5, expiresAt: T0 + HOUR });
    expect((await cache.get('k2'))?.accessToken).toBe('newer');
  });

  it('invalidates only the token that failed (compare-and-delete)', async () => {
    clock.t = T0;
    await cache.set('k3', { accessToken: 'fresh', issuedAt: T0, expiresAt: T0 + HOUR });
    await cache.invalidate('k3', 'stale-one');
    expect((await cache.get('k3'))?.accessToken).toBe('fresh');
    await cache.invalidate('k3', 'fresh');
    expect(await cache.get('k3')).toBeUndefined();
    await cache.invalidate('k3', 'fresh'); // nothing left: still fine
  });

  it('grants a lease to exactly one of many concurrent callers across two providers', async () => {
    clock.t = T0;
    const other = createDynamoTokenCache({ client: db.dynamo, tableName: db.tableName, clock });
    const attempts = Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? cache : other).acquireLease('k4', `holder-${i}`, 30_000),
    );
    const won = (await Promise.all(attempts)).flatMap((ok, i) => (ok ? [`holder-${i}`] : []));
    expect(won).toHaveLength(1);
    const holder = won[0]!;

    expect(await cache.acquireLease('k4', holder, 30_000)).toBe(true); // re-entrant renewal
    await cache.releaseLease('k4', 'someone-else'); // not theirs to release
    expect(await other.acquireLease('k4', 'late', 30_000)).toBe(false);
    await cache.releaseLease('k4', holder);
    expect(await other.acquireLease('k4', 'late', 30_000)).toBe(true);
  });

  it('lets a lease of a crashed holder lapse after its ttl', async () => {
    clock.t = T0;
    expect(await cache.acquireLease('k5', 'crashed', 5_000)).toBe(true);
    clock.t = T0 + 5_000;
    expect(await cache.acquireLease('k5', 'next', 5_000)).toBe(false);
    clock.t = T0 + 5_001;
    expect(await cache.acquireLease('k5', 'next', 5_000)).toBe(true);
  });

  it('fails with a StoreError that never shows the token', async () => {
    const broken = createDynamoTokenCache({ client: db.dynamo, tableName: 'no-such-table', clock });
    const error = await broken
      .set('k6', { accessToken: 'SECRET-TOKEN', issuedAt: T0, expiresAt: T0 + HOUR })
      .catch((e) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'permanent', operation: 'setToken' });
    for (const text of [String(error), JSON.stringify(error), inspect(error, { depth: 10 })]) {
      expect(text).not.toContain('SECRET-TOKEN');
    }
  });
});
