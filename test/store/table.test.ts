import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTable, TABLE_KEYS, TIME_TO_LIVE, tableDefinition } from '../../lib/store/table.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';

describe('table', () => {
  let db: TestDynamo;
  beforeAll(async () => {
    db = await startDynalite();
  });
  afterAll(() => db.close());

  it('defines pk/sk, one sparse gsi1 and on-demand billing', () => {
    const def = tableDefinition('t');
    expect(def).toMatchObject({ TableName: 't', BillingMode: 'PAY_PER_REQUEST' });
    expect(def.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(def.GlobalSecondaryIndexes?.map((i) => [i.IndexName, i.KeySchema])).toEqual([
      [
        'gsi1',
        [
          { AttributeName: 'gsi1pk', KeyType: 'HASH' },
          { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
        ],
      ],
    ]);
    expect(TIME_TO_LIVE).toEqual({ AttributeName: TABLE_KEYS.ttl, Enabled: true });
  });

  it('creates the table once and leaves an existing one alone', async () => {
    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: db.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexStatus).toBe('ACTIVE');
    expect(await ensureTable(db.dynamo, db.tableName)).toEqual({ created: false });
    expect(await ensureTable(db.dynamo, `${db.tableName}-2`)).toEqual({ created: true });
  });
});
