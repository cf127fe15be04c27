import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLifecycleRuntime } from '../../functions/shared/lifecycle-runtime.js';
import { silentLog } from '../../lib/shared/log.js';
import { createDynamoRateLimiter, rateInterval } from '../../lib/store/dynamo-rate-limiter.js';
import { StoreError } from '../../lib/store/errors.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';
import { startLifecycleEnv } from '../helpers/lifecycle-env.js';

const MINUTE = 60_000;
const T0 = Date.UTC(2025, 0, 15, 8);

describe('createDynamoRateLimiter (a fleet-wide ceiling in the table)', () => {
  let db: TestDynamo;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(() => db.close());

  /**
   * `containers` limiters over one table and one virtual clock, each acquiring in a loop; sleeps
   * cost no real time (the waiting container jumps the shared clock forward). Returns when each
   * admission happened.
   */
  const fleet = async (perMinute: number, containers: number, callsEach: number, api: string) => {
    let now = T0;
    const clock = { now: () => now };
    const admitted: number[] = [];
    const limiters = Array.from({ length: containers }, () =>
      createDynamoRateLimiter({
        client: db.dynamo,
        tableName: db.tableName,
        perMinute,
        clock,
        sleep: async (ms) => {
          now = Math.max(now, clock.now() + ms);
        },
      }),
    );
    for (let i = 0; i < callsEach; i++) {
      for (const limiter of limiters) {
        await limiter.acquire(api);
        admitted.push(now);
      }
    }
    return admitted;
  };

  it('spaces the whole fleet’s calls one interval apart: never more than the ceiling in any 60 s, nearly all of it when busy', async () => {
    const admitted = await fleet(30, 6, 20, 'createMember');
    const sorted = [...admitted].sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((t, i) => t - sorted[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(Math.floor(rateInterval(30)));
    for (const start of sorted) {
      expect(sorted.filter((t) => t >= start && t < start + MINUTE).length).toBeLessThanOrEqual(30);
    }
    // ...and no wider than that (a millisecond of rounding each): 120 calls take 4 minutes + 1 %.
    expect(sorted.at(-1)! - sorted[0]!).toBeLessThanOrEqual(119 * (rateInterval(30) + 1));
  });

  it('lets a lone call go at once when the API has been idle', async () => {
    const [first] = await fleet(30, 1, 1, 'getMember');
    expect(first).toBe(T0);
  });

  it('keeps each API to its own ceiling: two APIs each get theirs in the same minute', async () => {
    const a = await fleet(60, 2, 29, 'searchMembers');
    const b = await fleet(60, 2, 29, 'batchDeleteMembers');
    expect(Math.max(...a, ...b)).toBeLessThan(T0 + MINUTE);
  });

  it('fails a call rather than letting it through when the table cannot be reached', async () => {
    const limiter = createDynamoRateLimiter({ client: db.dynamo, tableName: 'no-such-table', perMinute: 10 });
    await expect(limiter.acquire('createMember')).rejects.toBeInstanceOf(StoreError);
  });

  it('is what every lifecycle runtime (worker, cleanup) paces by when MEETING_RATE_LIMIT_PER_MINUTE is set', async () => {
    const env = await startLifecycleEnv({ env: { MEETING_RATE_LIMIT_PER_MINUTE: '600' } });
    try {
      const other = await createLifecycleRuntime(env.env, silentLog);
      await Promise.all(
        [env.lifecycle, other, env.lifecycle].map((l) => l.context.meeting.getDepartment('1')),
      );
      const { Items = [] } = await env.dynamo.doc.send(
        new QueryCommand({
          TableName: env.dynamo.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': 'RATE#getDeptAndChildren' },
        }),
      );
      // Three turns, one interval (100 ms at 600 a minute) apart: `next` is two intervals past the first.
      expect(Items).toHaveLength(1);
      expect(Number(Items[0]!.next)).toBeGreaterThan(Date.now() - 60_000);
    } finally {
      await env.close();
    }
  });
});
