import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createIdempotencyPersistence } from '../../lib/store/idempotency.js';
import { DELIVERY_DEDUP_SECONDS } from '../../lib/webhook/receive-delivery.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';

interface Delivery {
  id: string;
  body: string;
}

const context = (remainingMs: number): Context =>
  ({
    functionName: 'hr-webhook',
    awsRequestId: 'req',
    getRemainingTimeInMillis: () => remainingMs,
  }) as Context;

describe('createIdempotencyPersistence', () => {
  let db: TestDynamo;
  let n = 0;

  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(() => db.close());

  /** A fresh function name per test keeps records apart (pk = IDEMPOTENCY#<name>). */
  const idempotent = (fn: (event: Delivery) => Promise<unknown>) => {
    const functionName = `fn-${++n}`;
    const persistenceStore = createIdempotencyPersistence({
      client: db.dynamo,
      tableName: db.tableName,
      functionName,
    });
    // As the webhook configures it (lib/webhook/receive-delivery.ts).
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'id',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: DELIVERY_DEDUP_SECONDS,
    });
    return {
      functionName,
      handler: makeIdempotent(async (event: Delivery, _context: Context) => fn(event), {
        persistenceStore,
        config,
      }),
    };
  };

  it('runs once per key, returns the stored result, and keeps the record 7 days in the TTL attribute', async () => {
    let calls = 0;
    const { functionName, handler } = idempotent(async (e) => ({ accepted: e.id, call: ++calls }));
    const before = Math.floor(Date.now() / 1000);

    const first = await handler({ id: 'evt-1', body: 'x' }, context(10_000));
    const second = await handler({ id: 'evt-1', body: 'x' }, context(10_000));
    expect(first).toEqual({ accepted: 'evt-1', call: 1 });
    expect(second).toEqual(first);
    expect(calls).toBe(1);

    const { Items = [] } = await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `IDEMPOTENCY#${functionName}` },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ status: 'COMPLETED' });
    expect(Items[0]?.ttl).toBeGreaterThanOrEqual(before + DELIVERY_DEDUP_SECONDS);
    expect(Items[0]?.ttl).toBeLessThanOrEqual(before + DELIVERY_DEDUP_SECONDS + 5);
    expect(DELIVERY_DEDUP_SECONDS).toBe(604_800);
  });

  it('rejects the same key with a different payload', async () => {
    const { handler } = idempotent(async (e) => e.body);
    await handler({ id: 'evt-2', body: 'original' }, context(10_000));
    await expect(handler({ id: 'evt-2', body: 'tampered' }, context(10_000))).rejects.toBeInstanceOf(
      IdempotencyValidationError,
    );
  });

  it('refuses a duplicate while the first is in progress, then serves its result', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const { handler } = idempotent(async () => {
      calls++;
      await gate;
      return 'done';
    });
    const first = handler({ id: 'evt-3', body: 'x' }, context(10_000));
    await vi.waitFor(() => expect(calls).toBe(1)); // its INPROGRESS record is written
    await expect(handler({ id: 'evt-3', body: 'x' }, context(10_000))).rejects.toBeInstanceOf(
      IdempotencyAlreadyInProgressError,
    );
    release();
    expect(await first).toBe('done');
    expect(await handler({ id: 'evt-3', body: 'x' }, context(10_000))).toBe('done');
    expect(calls).toBe(1);
  });

  it('lets a retry through once an in-progress record outlives its invocation (crashed Lambda)', async () => {
    let calls = 0;
    const { handler } = idempotent(async () => {
      calls++;
      if (calls === 1) return new Promise(() => {}); // the first invocation never finishes
      return 'retried';
    });
    void handler({ id: 'evt-4', body: 'x' }, context(30));
    await vi.waitFor(() => expect(calls).toBe(1));
    await new Promise((r) => setTimeout(r, 60)); // past the 30 ms it had left
    expect(await handler({ id: 'evt-4', body: 'x' }, context(10_000))).toBe('retried');
    expect(calls).toBe(2);
  });
});
