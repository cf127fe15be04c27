import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DynamoPort, DynamoServiceError, isConditionFailure } from '../../lib/store/dynamo-port.js';
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

  /** Powertools' own DynamoDB layer (AWS SDK v3) on the same records, as configured before this one. */
  const powertoolsLayer = (functionName: string) =>
    new DynamoDBPersistenceLayer({
      tableName: db.tableName,
      awsSdkV3Client: db.client,
      keyAttr: 'pk',
      sortKeyAttr: 'sk',
      staticPkValue: `IDEMPOTENCY#${functionName}`,
      expiryAttr: 'ttl',
    });

  /** A fresh function name per test keeps records apart (pk = IDEMPOTENCY#<name>). */
  const idempotent = (
    fn: (event: Delivery) => Promise<unknown>,
    options: { functionName?: string; layer?: 'ours' | 'powertools'; client?: DynamoPort } = {},
  ) => {
    const functionName = options.functionName ?? `fn-${++n}`;
    const persistenceStore =
      options.layer === 'powertools'
        ? powertoolsLayer(functionName)
        : createIdempotencyPersistence({
            client: options.client ?? db.dynamo,
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

  it("reads the records of Powertools' own DynamoDB layer, and it reads ours (a rolling deploy)", async () => {
    let calls = 0;
    const run = async (e: Delivery) => ({ accepted: e.id, call: ++calls });
    const before = idempotent(run, { layer: 'powertools' });
    const first = await before.handler({ id: 'evt-5', body: 'x' }, context(10_000));
    const after = idempotent(run, { functionName: before.functionName });
    expect(await after.handler({ id: 'evt-5', body: 'x' }, context(10_000))).toEqual(first);
    await expect(after.handler({ id: 'evt-5', body: 'other' }, context(10_000))).rejects.toBeInstanceOf(
      IdempotencyValidationError,
    );

    const ours = await after.handler({ id: 'evt-6', body: 'y' }, context(10_000));
    const back = idempotent(run, { functionName: before.functionName, layer: 'powertools' });
    expect(await back.handler({ id: 'evt-6', body: 'y' }, context(10_000))).toEqual(ours);
    expect(calls).toBe(2);
  });

  it('answers a duplicate from the record DynamoDB returns with the failed condition, without reading it again', async () => {
    // DynamoDB returns the item in the way (ReturnValuesOnConditionCheckFailure: ALL_OLD); dynalite
    // does not, so this port adds it from the table, as DynamoDB documents the answer.
    let reads = 0;
    const asDynamoDb: DynamoPort = {
      ...db.dynamo,
      get: (input) => {
        reads++;
        return db.dynamo.get(input);
      },
      put: async (input) => {
        try {
          await db.dynamo.put(input);
        } catch (error) {
          if (!isConditionFailure(error) || input.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD')
            throw error;
          const key = { pk: input.Item.pk, sk: input.Item.sk };
          const { Item } = await db.dynamo.get({
            TableName: input.TableName,
            Key: key,
            ConsistentRead: true,
          });
          throw new DynamoServiceError(error.name, error.statusCode, { ...(Item && { item: Item }) });
        }
      },
    };
    let calls = 0;
    const { handler } = idempotent(async (e) => ({ accepted: e.id, call: ++calls }), { client: asDynamoDb });
    const first = await handler({ id: 'evt-7', body: 'x' }, context(10_000));
    reads = 0;
    expect(await handler({ id: 'evt-7', body: 'x' }, context(10_000))).toEqual(first);
    expect(reads).toBe(0);
    await expect(handler({ id: 'evt-7', body: 'tampered' }, context(10_000))).rejects.toBeInstanceOf(
      IdempotencyValidationError,
    );
    expect(calls).toBe(1);
  });
});
