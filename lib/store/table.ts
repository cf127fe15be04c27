import { type Log, silentLog, sleep } from '../shared/index.js';
import {
  DYNAMO_ERRORS,
  type DynamoAdminPort,
  DynamoServiceError,
  type TableDefinition,
} from './dynamo-port.js';

/** Attribute and index names of the lifecycle table (the key design is in docs/store.md). */
export const TABLE_KEYS = {
  pk: 'pk',
  sk: 'sk',
  /** DynamoDB TTL attribute, epoch seconds. Powertools idempotency records use it too. */
  ttl: 'ttl',
  gsi1: 'gsi1',
  gsi1pk: 'gsi1pk',
  gsi1sk: 'gsi1sk',
} as const;

/** The TTL setting of the table (not part of CreateTable; serverless.yml declares it beside the table). */
export const TIME_TO_LIVE = { AttributeName: TABLE_KEYS.ttl, Enabled: true } as const;

/**
 * The table, as CreateTable input. The single source of truth: local runs create the table from
 * it, and a test checks serverless.yml against it.
 */
export const tableDefinition = (tableName: string): TableDefinition => ({
  TableName: tableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: TABLE_KEYS.pk, AttributeType: 'S' },
    { AttributeName: TABLE_KEYS.sk, AttributeType: 'S' },
    { AttributeName: TABLE_KEYS.gsi1pk, AttributeType: 'S' },
    { AttributeName: TABLE_KEYS.gsi1sk, AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: TABLE_KEYS.pk, KeyType: 'HASH' },
    { AttributeName: TABLE_KEYS.sk, KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: TABLE_KEYS.gsi1,
      KeySchema: [
        { AttributeName: TABLE_KEYS.gsi1pk, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.gsi1sk, KeyType: 'RANGE' },
      ],
      // ALL: the queries on gsi1 return whole records, with no second GetItem per hit.
      Projection: { ProjectionType: 'ALL' },
    },
  ],
});

export interface EnsureTableOptions {
  readonly logger?: Log;
  /** How long to wait for the table to become ACTIVE. */
  readonly maxWaitMs?: number;
  readonly pollIntervalMs?: number;
}

/**
 * Local runs only (deployed tables come from serverless.yml): creates the table if missing,
 * waits until it and its index are ACTIVE, and enables TTL.
 */
export const ensureTable = async (
  client: DynamoAdminPort,
  tableName: string,
  { logger = silentLog, maxWaitMs = 30_000, pollIntervalMs = 50 }: EnsureTableOptions = {},
): Promise<{ created: boolean }> => {
  let created = false;
  if (!(await tableExists(client, tableName))) {
    try {
      await client.createTable(tableDefinition(tableName));
      created = true;
      logger.info('created table', { tableName });
    } catch (error) {
      // Another process created it between our describe and create: fine.
      if (!isError(error, DYNAMO_ERRORS.resourceInUse)) throw error;
    }
  }
  await waitUntilActive(client, tableName, maxWaitMs, pollIntervalMs);
  await enableTtl(client, tableName, logger);
  return { created };
};

const isError = (error: unknown, name: string) => error instanceof DynamoServiceError && error.name === name;

const tableExists = async (client: DynamoAdminPort, tableName: string): Promise<boolean> => {
  try {
    await client.describeTable({ TableName: tableName });
    return true;
  } catch (error) {
    if (isError(error, DYNAMO_ERRORS.resourceNotFound)) return false;
    throw error;
  }
};

const waitUntilActive = async (
  client: DynamoAdminPort,
  tableName: string,
  maxWaitMs: number,
  intervalMs: number,
) => {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const { Table } = await client.describeTable({ TableName: tableName });
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} not ACTIVE after ${maxWaitMs} ms`);
    await sleep(intervalMs);
  }
};

const enableTtl = async (client: DynamoAdminPort, tableName: string, logger: Log) => {
  const { TimeToLiveDescription } = await client.describeTimeToLive({ TableName: tableName });
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.updateTimeToLive({ TableName: tableName, TimeToLiveSpecification: { ...TIME_TO_LIVE } });
  } catch (error) {
    // dynalite does not implement UpdateTimeToLive.
    // Harmless: expired items are filtered on read anyway, since real TTL deletion lags too.
    if (!isError(error, DYNAMO_ERRORS.unknownOperation)) throw error;
    logger.debug('TTL not supported by this DynamoDB endpoint; relying on read-time expiry', { tableName });
  }
};
