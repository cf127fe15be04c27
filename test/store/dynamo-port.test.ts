import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAwsTarget } from '../../lib/shared/aws-client.js';
import { createAwsLiteDynamo } from '../../lib/store/aws-lite-dynamo.js';
import { DynamoServiceError, isConditionFailure } from '../../lib/store/dynamo-port.js';
import {
  classifyStoreError,
  STORE_ERROR_KIND,
  storeCall,
  unlessConditionFails,
} from '../../lib/store/errors.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';

/**
 * The DynamoDB port over aws-lite, and the error contract lib/store/errors.ts classifies:
 * against dynalite over real sockets, and, for the answers dynalite never gives (throttling, a
 * 5xx, the item of a failed condition), against a stand-in that answers as the DynamoDB API
 * reference documents them (AWS JSON 1.0: `__type` = `<namespace>#<ErrorName>`).
 */

let db: TestDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(() => db.close());

/** Answers every call with `status` and `body`; counts the calls. */
const answering = async (status: number, body: unknown) => {
  let calls = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      calls++;
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    dynamo: createAwsLiteDynamo(localAwsTarget(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
    calls: () => calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
const NS = 'com.amazonaws.dynamodb.v20120810#';

describe('DynamoPort over aws-lite', () => {
  it('writes and reads plain values: numbers, maps, lists; undefined attributes left out', async () => {
    const key = { pk: 'PORT#1', sk: 'A' };
    await db.dynamo.put({
      TableName: db.tableName,
      Item: {
        ...key,
        n: 5,
        big: 2 ** 40,
        ok: true,
        nested: { list: [1, 'two', { three: 3 }] },
        gone: undefined,
      },
    });
    const { Item } = await db.dynamo.get({ TableName: db.tableName, Key: key, ConsistentRead: true });
    expect(Item).toEqual({
      ...key,
      n: 5,
      big: 2 ** 40,
      ok: true,
      nested: { list: [1, 'two', { three: 3 }] },
    });
    // AWS SDK v3's document client reads what aws-lite wrote: one wire format.
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
    expect((await db.doc.send(new GetCommand({ TableName: db.tableName, Key: key }))).Item).toEqual(Item);
    expect(await db.dynamo.get({ TableName: db.tableName, Key: { pk: 'PORT#1', sk: 'none' } })).toEqual({});
  });

  it('pages a Query with the cursor it hands back, and counts', async () => {
    for (const sk of ['a', 'b', 'c'])
      await db.dynamo.put({ TableName: db.tableName, Item: { pk: 'PORT#2', sk } });
    const query = {
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'PORT#2' },
    };
    const first = await db.dynamo.query({ ...query, Limit: 2 });
    expect(first.Items.map((i) => i.sk)).toEqual(['a', 'b']);
    const second = await db.dynamo.query({ ...query, Limit: 2, ExclusiveStartKey: first.LastEvaluatedKey! });
    expect(second.Items.map((i) => i.sk)).toEqual(['c']);
    expect((await db.dynamo.query({ ...query, Select: 'COUNT' })).Count).toBe(3);
  });

  it('answers a failed condition with ConditionalCheckFailedException: an outcome, not a failure', async () => {
    const put = () =>
      db.dynamo.put({
        TableName: db.tableName,
        Item: { pk: 'PORT#3', sk: 'A' },
        ConditionExpression: 'attribute_not_exists(pk)',
      });
    await put();
    const error = await put().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DynamoServiceError);
    expect(error).toMatchObject({ name: 'ConditionalCheckFailedException', statusCode: 400 });
    expect(isConditionFailure(error)).toBe(true);
    expect(await unlessConditionFails('put', put)).toBe(false);
    // As a store failure it is a permanent one (retrying cannot change the condition).
    expect(classifyStoreError(error)).toBe(STORE_ERROR_KIND.permanent);
  });

  it('classifies a missing table as permanent, by its name and status', async () => {
    const error = await storeCall('get', () =>
      db.dynamo.get({ TableName: 'no-such-table', Key: { pk: 'x', sk: 'y' } }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StoreError', kind: 'permanent', operation: 'get' });
    expect((error as Error).cause).toMatchObject({ name: 'ResourceNotFoundException', statusCode: 400 });
    expect((error as Error).message).toBe('store get failed (permanent): ResourceNotFoundException');
  });

  it('classifies throttling as throttled once the client has retried it', async () => {
    const fake = await answering(400, {
      __type: `${NS}ProvisionedThroughputExceededException`,
      message: 'slow down',
    });
    try {
      const error = await fake.dynamo
        .get({ TableName: 't', Key: { pk: 'x', sk: 'y' } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', statusCode: 400 });
      expect(classifyStoreError(error)).toBe(STORE_ERROR_KIND.throttled);
      expect(fake.calls()).toBe(6); // aws-lite's 5 retries
    } finally {
      await fake.close();
    }
  });

  it('classifies a 5xx as retryable, whatever its message says', async () => {
    const fake = await answering(500, {
      __type: `${NS}InternalServerError`,
      message: 'ValidationException throttled',
    });
    try {
      const error = await fake.dynamo
        .get({ TableName: 't', Key: { pk: 'x', sk: 'y' } })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'InternalServerError', statusCode: 500 });
      expect(classifyStoreError(error)).toBe(STORE_ERROR_KIND.retryable);
    } finally {
      await fake.close();
    }
  });

  it('hands back the item of a failed condition when asked (ReturnValuesOnConditionCheckFailure), unmarshalled', async () => {
    const fake = await answering(400, {
      __type: `${NS}ConditionalCheckFailedException`,
      message: 'The conditional request failed',
      Item: {
        pk: { S: 'IDEMPOTENCY#fn' },
        sk: { S: 'key' },
        status: { S: 'COMPLETED' },
        ttl: { N: '1700000000' },
      },
    });
    try {
      const error = await fake.dynamo
        .put({
          TableName: 't',
          Item: { pk: 'IDEMPOTENCY#fn', sk: 'key' },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        })
        .catch((e: unknown) => e);
      expect(isConditionFailure(error)).toBe(true);
      expect((error as DynamoServiceError).item).toEqual({
        pk: 'IDEMPOTENCY#fn',
        sk: 'key',
        status: 'COMPLETED',
        ttl: 1_700_000_000,
      });
      expect(fake.calls()).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('classifies a call that got no answer as retryable, and a programming error as permanent', async () => {
    const closed = await answering(200, {});
    const unreachable = closed.dynamo;
    await closed.close();
    const error = await unreachable
      .get({ TableName: 't', Key: { pk: 'x', sk: 'y' } })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(DynamoServiceError);
    expect(classifyStoreError(error)).toBe(STORE_ERROR_KIND.retryable);
    expect(classifyStoreError(new TypeError('not a key'))).toBe(STORE_ERROR_KIND.permanent);
  });
});

describe('a call that gets no answer', () => {
  it('stops waiting after the call timeout and is classified retryable (aws-lite has no timeout of its own)', async () => {
    // Accepts connections and reads requests, never answers.
    const server = createServer((req) => req.resume());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const dynamo = createAwsLiteDynamo({
        ...localAwsTarget(`http://127.0.0.1:${port}`),
        callTimeoutMs: 300,
      });
      const error = await storeCall('get', () =>
        dynamo.get({ TableName: 't', Key: { pk: 'a', sk: 'b' } }),
      ).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'StoreError', kind: STORE_ERROR_KIND.retryable });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
