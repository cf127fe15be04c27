import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoLifecycleStore } from '../../lib/store/dynamo-lifecycle-store.js';
import { type EmployeeRecord, type LifecycleStore, StaleWriteError } from '../../lib/store/types.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';

const NOW = Date.UTC(2025, 0, 15);
const DAY = 24 * 3600 * 1000;

const employee = (employeeId: string, over: Partial<EmployeeRecord> = {}): EmployeeRecord => ({
  employeeId,
  account: employeeId.toLowerCase(),
  status: 'active',
  isAdmin: false,
  profileApplied: 1,
  hr: {
    profile: { value: { name: employeeId, deptCode: '1' }, version: 1, eventId: `evt-${employeeId}-1` },
    employment: { value: 'active', version: 1, eventId: `evt-${employeeId}-1` },
  },
  lastVersion: 1,
  lastEventId: `evt-${employeeId}-1`,
  updatedAt: NOW,
  revision: 1,
  ...over,
});

describe('createDynamoLifecycleStore', () => {
  let db: TestDynamo;
  let store: LifecycleStore;

  beforeAll(async () => {
    db = await startDynalite();
    // pageSize 2 forces every listing over several pages.
    store = createDynamoLifecycleStore({
      client: db.dynamo,
      tableName: db.tableName,
      clock: { now: () => NOW },
      pageSize: 2,
    });
  });
  afterAll(() => db.close());

  it('round-trips a record, including fields it does not know about', async () => {
    const record = { ...employee('E1'), memberId: 'm-1', addedLater: 7 };
    await store.putEmployee(record, undefined);
    expect(await store.getEmployee('E1')).toEqual(record);
    expect(await store.getEmployee('missing')).toBeUndefined();
  });

  it('guards writes on the revision read (first write: must not exist)', async () => {
    await store.putEmployee(employee('E2'), undefined);
    await expect(store.putEmployee(employee('E2'), undefined)).rejects.toBeInstanceOf(StaleWriteError);
    await expect(store.putEmployee(employee('E2', { revision: 3 }), 2)).rejects.toBeInstanceOf(
      StaleWriteError,
    );
    await store.putEmployee(employee('E2', { lastVersion: 3, revision: 2 }), 1);
    expect((await store.getEmployee('E2'))?.lastVersion).toBe(3);
  });

  it('reads a record written before per-aspect versions as settled at its version, and writes it once', async () => {
    // The shape of an employee item as the previous release wrote it.
    await db.doc.send(
      new PutCommand({
        TableName: db.tableName,
        Item: {
          pk: 'EMP#OLD',
          sk: 'STATE',
          type: 'employee',
          employeeId: 'OLD',
          account: 'old',
          status: 'disabled',
          lastVersion: 9,
          lastEventId: 'evt-9',
          statusVersion: 7,
          isAdmin: false,
          disabledAt: NOW - DAY,
          updatedAt: NOW - DAY,
          profile: { name: 'Old Timer', deptCode: 'D1', title: 'Clerk' },
        },
      }),
    );
    const migrated = await store.getEmployee('OLD');
    expect(migrated).toMatchObject({
      status: 'disabled',
      floorVersion: 9,
      profileApplied: 9,
      revision: 0,
      hr: {
        profile: {
          value: { name: 'Old Timer', deptCode: 'D1', title: 'Clerk' },
          version: 9,
          eventId: 'evt-9',
        },
        employment: { value: 'terminated', version: 7 },
      },
    });
    expect(migrated).not.toHaveProperty('statusVersion');
    expect(migrated).not.toHaveProperty('profile');
    const next = { ...migrated!, lastVersion: 10, revision: 1 };
    const results = await Promise.allSettled([store.putEmployee(next, 0), store.putEmployee(next, 0)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await store.getEmployee('OLD')).toEqual(next);
  });

  it('lets exactly one of two competing writers win', async () => {
    await store.putEmployee(employee('E3'), undefined);
    const results = await Promise.allSettled([
      store.putEmployee(employee('E3', { lastVersion: 2, lastEventId: 'a', revision: 2 }), 1),
      store.putEmployee(employee('E3', { lastVersion: 5, lastEventId: 'b', revision: 2 }), 1),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(StaleWriteError);
  });

  it('lists and counts the managed (not deleted) employees over all pages', async () => {
    const local = await startDynalite();
    try {
      const s = createDynamoLifecycleStore({ client: local.dynamo, tableName: local.tableName, pageSize: 2 });
      const cutoff = NOW - 30 * DAY;
      const old = Array.from({ length: 5 }, (_, i) =>
        employee(`OLD${i}`, { status: 'disabled', disabledAt: cutoff - (i + 1) * DAY }),
      );
      for (const r of old) await s.putEmployee(r, undefined);
      await s.putEmployee(employee('EDGE', { status: 'disabled', disabledAt: cutoff }), undefined);
      await s.putEmployee(employee('RECENT', { status: 'disabled', disabledAt: NOW }), undefined);
      await s.putEmployee(employee('ACTIVE1'), undefined);
      await s.putEmployee(employee('ACTIVE2'), undefined);
      await s.putEmployee(
        employee('GONE', { status: 'deleted', disabledAt: cutoff - 90 * DAY, deletedAt: NOW }),
        undefined,
      );
      // Rehired: leaves the disabled index.
      await s.putEmployee(employee('BACK', { status: 'disabled', disabledAt: cutoff - DAY }), undefined);
      await s.putEmployee(employee('BACK', { lastVersion: 2, revision: 2 }), 1);

      const listed = await s.listManaged();
      expect(listed.map((r) => r.employeeId).sort()).toEqual(
        [...old.map((r) => r.employeeId), 'EDGE', 'RECENT', 'ACTIVE1', 'ACTIVE2', 'BACK'].sort(),
      );
      expect(listed.find((r) => r.employeeId === 'OLD0')).toEqual(old[0]);
      expect(listed.find((r) => r.employeeId === 'BACK')?.status).toBe('active');
      // 7 disabled + 3 active (ACTIVE1, ACTIVE2, BACK); the deleted one is not managed.
      expect(await s.countManaged()).toBe(7 + 3);
    } finally {
      await local.close();
    }
  });

  it('returns every due action, oldest first, and deletes completed ones', async () => {
    const at = (dueAt: number, n: number) => ({
      dueAt,
      eventId: `due-${n}`,
      employeeId: `S${n % 2}`,
      event: JSON.stringify({ id: `due-${n}` }),
    });
    const actions = [at(NOW + DAY, 1), at(NOW - DAY, 2), at(NOW, 3), at(NOW - 2 * DAY, 4), at(NOW - 1, 5)];
    for (const a of actions) await store.scheduleAction(a);
    await store.scheduleAction(actions[1]!); // a redelivery schedules once

    const due = await store.listDueActions(NOW);
    expect(due.map((a) => a.eventId)).toEqual(['due-4', 'due-2', 'due-5', 'due-3']);
    expect(due[0]).toEqual(actions[3]);

    await store.completeAction(due[0]!);
    await store.completeAction(due[0]!); // completing twice is harmless
    expect((await store.listDueActions(NOW)).map((a) => a.eventId)).toEqual(['due-2', 'due-5', 'due-3']);
    expect(await store.listDueActions(NOW - 3 * DAY)).toEqual([]);
  });

  it('writes audit entries that expire after the retention (400 days by default) and reads them back in order', async () => {
    const first = {
      employeeId: 'E9',
      eventId: 'evt-9',
      at: NOW - DAY,
      outcome: 'stale',
      reason: 'version 3 < 5',
      type: 'employee.updated',
      version: 3,
    };
    await store.audit(first);
    await store.audit({
      employeeId: 'E9',
      eventId: 'evt-10',
      at: NOW,
      outcome: 'created',
      changes: ['created', 'adminGranted'],
      calls: ['ensureMember E9', 'addAdmin E9'],
      receivedAt: NOW - 5,
      receiveCount: 1,
      source: 'queue',
    });
    const { Item } = await db.doc.send(
      new GetCommand({
        TableName: db.tableName,
        Key: { pk: 'EMP#E9', sk: `AUDIT#${String(NOW - DAY).padStart(16, '0')}#evt-9` },
      }),
    );
    expect(Item).toMatchObject({
      outcome: 'stale',
      reason: 'version 3 < 5',
      ttl: NOW / 1000 + (400 * DAY) / 1000,
    });
    const history = await store.listAudit('E9');
    expect(history).toEqual([
      first,
      expect.objectContaining({ eventId: 'evt-10', changes: ['created', 'adminGranted'], receiveCount: 1 }),
    ]);
    expect(await store.listAudit('E-none')).toEqual([]);

    const short = createDynamoLifecycleStore({
      client: db.dynamo,
      tableName: db.tableName,
      clock: { now: () => NOW },
      auditRetentionDays: 7,
    });
    await short.audit({ employeeId: 'E10', eventId: 'evt-11', at: NOW, outcome: 'noop' });
    const expired = createDynamoLifecycleStore({
      client: db.dynamo,
      tableName: db.tableName,
      clock: { now: () => NOW + 8 * DAY },
    });
    // TTL deletion lags (and dynalite never deletes): an expired entry is not read.
    expect(await short.listAudit('E10')).toHaveLength(1);
    expect(await expired.listAudit('E10')).toEqual([]);
  });

  it('reads many records at once, across BatchGetItem calls of 100', async () => {
    const ids = Array.from({ length: 230 }, (_, i) => `B${i}`);
    for (const id of ids.filter((_, i) => i % 3 === 0)) await store.putEmployee(employee(id), undefined);
    const found = await store.getEmployees([...ids, 'B0']);
    expect([...found.keys()].sort()).toEqual(ids.filter((_, i) => i % 3 === 0).sort());
    expect(found.get('B3')).toEqual(employee('B3'));
  });
});
