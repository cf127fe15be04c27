import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDynamoOffboardingStore } from '../../lib/store/dynamo-offboarding-store.js';
import type { DynamoPort } from '../../lib/store/dynamo-port.js';
import { StoreError } from '../../lib/store/errors.js';
import type { OffboardingStore, PendingDisable } from '../../lib/store/types.js';
import { type DynamoTally, type LocalDynamo, startLocalDynamo } from '../../local/dynamo.js';

const T0 = Date.UTC(2026, 2, 1);
const pending = (employeeId: string, requestedAt: number): PendingDisable => ({
  employeeId,
  account: employeeId.toLowerCase(),
  eventId: `evt-${employeeId}-${requestedAt}`,
  requestedAt,
});

/**
 * DynamoDB's answer to throttling in a batch: the call succeeds and hands part of it back. Here
 * the first `times` batch calls process only the first half of their requests.
 */
const handingBackHalf = (dynamo: DynamoPort, tableName: string, times: number): DynamoPort => {
  let left = times;
  return {
    ...dynamo,
    batchWrite: async (input) => {
      if (left <= 0) return dynamo.batchWrite(input);
      const requests = input.RequestItems[tableName] ?? [];
      left -= 1;
      const half = Math.floor(requests.length / 2);
      if (half > 0) await dynamo.batchWrite({ RequestItems: { [tableName]: requests.slice(0, half) } });
      return { UnprocessedItems: { [tableName]: requests.slice(half) } };
    },
    batchGet: async (input) => {
      if (left <= 0) return dynamo.batchGet(input);
      const { Keys = [], ...rest } = input.RequestItems[tableName] ?? { Keys: [] };
      left -= 1;
      const half = Math.floor(Keys.length / 2);
      const out =
        half > 0
          ? await dynamo.batchGet({ RequestItems: { [tableName]: { ...rest, Keys: Keys.slice(0, half) } } })
          : { Responses: {} };
      return { ...out, UnprocessedKeys: { [tableName]: { ...rest, Keys: Keys.slice(half) } } };
    },
  };
};

let db: LocalDynamo;
let store: OffboardingStore;
/** What DynamoDB answered since the last reset: requests and items read, per operation. */
let tally: DynamoTally;
const resetCounts = () => db.tally!.reset();
const counted = async () => {
  tally = await db.tally!.snapshot();
};
const noWait = { sleep: async () => undefined };
const storeOver = (client: DynamoPort) =>
  createDynamoOffboardingStore({ client, tableName: db.tableName, batch: noWait });
/** A pending disable as the previous release stored it (pk OFFBOARD#pending-disable, sk = employee id). */
const putLegacy = (p: PendingDisable) =>
  db.doc.send(
    new PutCommand({
      TableName: db.tableName,
      Item: { pk: 'OFFBOARD#pending-disable', sk: p.employeeId, type: 'pending-disable', ...p },
    }),
  );
const partition = async (pk: string) =>
  (
    await db.doc.send(
      new QueryCommand({
        TableName: db.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
      }),
    )
  ).Items ?? [];

beforeEach(async () => {
  db = await startLocalDynamo({ tableName: `test-${randomUUID().slice(0, 8)}`, count: true });
  store = storeOver(db.dynamo);
  await resetCounts();
});
afterEach(() => db.close());

describe('pending-disable buffer', () => {
  it('reads the oldest N with Limit, not the whole buffer, and reads on after a position', async () => {
    // Employee-id order is the reverse of time order: only the sort key can give oldest first.
    const all = Array.from({ length: 300 }, (_, i) =>
      pending(`E${String(i).padStart(3, '0')}`, T0 - i * 1000),
    );
    for (const p of all) await store.addPendingDisable(p);
    const oldest = [...all].sort((a, b) => a.requestedAt - b.requestedAt);

    await resetCounts();
    const first = await store.peekPendingDisables(100);
    expect(first.map((p) => p.employeeId)).toEqual(oldest.slice(0, 100).map((p) => p.employeeId));
    await counted();
    expect(tally.itemsRead.Query).toBe(100);

    await resetCounts();
    const next = await store.peekPendingDisables(50, first.at(-1)!.position);
    expect(next.map((p) => p.employeeId)).toEqual(oldest.slice(100, 150).map((p) => p.employeeId));
    await counted();
    expect(tally.itemsRead.Query).toBe(50);
    expect(
      await store.peekPendingDisables(10, (await store.peekPendingDisables(300)).at(-1)!.position),
    ).toEqual([]);
  });

  it('keeps one pending disable per employee, the first one', async () => {
    await store.addPendingDisable(pending('A', T0));
    await store.addPendingDisable(pending('A', T0 + 5));
    expect(await store.listPendingDisables(10)).toEqual([pending('A', T0)]);
    expect(await store.peekPendingDisables(10)).toHaveLength(1);
  });

  it('restores the entry when a termination died between its marker and its entry', async () => {
    const p = pending('A', T0);
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: { pk: 'OFFBOARD#pending#A', sk: 'PENDING', type: 'pending-disable-marker', ...p },
      }),
    );
    expect(await store.peekPendingDisables(10)).toEqual([]);
    await store.addPendingDisable(pending('A', T0 + 9)); // the redelivered termination
    expect((await store.peekPendingDisables(10)).map((q) => q.requestedAt)).toEqual([T0]);
  });

  it('claims only what is still pending: a cancellation since the read wins, stale entries go', async () => {
    for (const id of ['A', 'B', 'C']) await store.addPendingDisable(pending(id, T0));
    // An entry whose marker is gone (a flush that died between its two deletes).
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          pk: 'OFFBOARD#disable-queue',
          sk: `${String(T0 - 1).padStart(16, '0')}#D`,
          ...pending('D', T0 - 1),
        },
      }),
    );
    const candidates = await store.peekPendingDisables(10);
    expect(candidates.map((c) => c.employeeId)).toEqual(['D', 'A', 'B', 'C']);

    expect(await store.removePendingDisable('B')).toBe(true); // a rehire
    expect(await store.removePendingDisable('B')).toBe(false);
    const claimed = await store.claimPendingDisables(candidates);
    expect(claimed.map((c) => c.employeeId)).toEqual(['A', 'C']);
    expect((await store.peekPendingDisables(10)).map((c) => c.employeeId)).toEqual(['A', 'C']);
  });

  it('removes sent disables with BatchWriteItem, retrying what comes back unprocessed', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `S${i}`);
    for (const [i, id] of ids.entries()) await store.addPendingDisable(pending(id, T0 + i));
    const sent = await store.claimPendingDisables(await store.peekPendingDisables(120));
    expect(sent).toHaveLength(120);

    await resetCounts();
    await storeOver(handingBackHalf(db.dynamo, db.tableName, 6)).removePendingDisables(sent);
    await counted();
    expect(tally.requests.DeleteItem).toBeUndefined();
    // 240 deletes are 10 calls of 25; each half handed back costs one call more.
    expect(tally.requests.BatchWriteItem).toBe(10 + 6);
    expect(await store.peekPendingDisables(10)).toEqual([]);
    expect(await store.pendingAmong(ids)).toEqual(new Set());
    expect(await partition('OFFBOARD#disable-queue')).toEqual([]);
  });

  it('gives up with a throttled StoreError when DynamoDB keeps handing requests back', async () => {
    for (const id of ['A', 'B']) await store.addPendingDisable(pending(id, T0));
    const stuck = storeOver(handingBackHalf(db.dynamo, db.tableName, Number.POSITIVE_INFINITY));
    const sent = await store.claimPendingDisables(await store.peekPendingDisables(2));
    const error = await stuck.removePendingDisables(sent).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ kind: 'throttled', operation: 'removePendingDisables' });
  });

  it('tells which employees still have a pending disable, 100 keys per BatchGetItem', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `P${i}`);
    const pendingIds = ids.filter((_, i) => i % 3 === 0);
    for (const id of pendingIds) await store.addPendingDisable(pending(id, T0));
    await putLegacy(pending('OLD1', T0 - 1000));

    await resetCounts();
    const flaky = storeOver(handingBackHalf(db.dynamo, db.tableName, 2));
    const found = await flaky.pendingAmong([...ids, 'OLD1', 'P0', 'P0']);
    expect(found).toEqual(new Set([...pendingIds, 'OLD1']));
    // 251 employees x (marker + old-layout key) = 502 keys: 6 calls, plus 2 for the handed-back halves.
    await counted();
    expect(tally.requests.BatchGetItem).toBe(6 + 2);
    expect(tally.requests.Query).toBeUndefined();
    expect(await store.pendingAmong([])).toEqual(new Set());
  });

  it('drains pending disables of the old layout (sk = employee id) in place', async () => {
    await putLegacy(pending('OLD1', T0 - 2000));
    await putLegacy(pending('OLD2', T0 - 1000));
    await putLegacy(pending('OLD3', T0 - 3000));
    await store.addPendingDisable(pending('NEW1', T0));

    const candidates = await store.peekPendingDisables(10);
    expect(candidates.map((c) => c.employeeId)).toEqual(['OLD1', 'OLD2', 'OLD3', 'NEW1']);
    expect((await store.peekPendingDisables(2, candidates[1]!.position)).map((c) => c.employeeId)).toEqual([
      'OLD3',
      'NEW1',
    ]);
    expect((await store.listPendingDisables(10)).map((c) => c.employeeId)).toEqual([
      'OLD3',
      'OLD1',
      'OLD2',
      'NEW1',
    ]);

    expect(await store.removePendingDisable('OLD2')).toBe(true); // a rehire
    const claimed = await store.claimPendingDisables(candidates);
    expect(claimed.map((c) => c.employeeId)).toEqual(['OLD1', 'OLD3', 'NEW1']);
    await store.removePendingDisables(claimed);
    expect(await store.peekPendingDisables(10)).toEqual([]);
    expect(await partition('OFFBOARD#pending-disable')).toEqual([]);
  });
});
