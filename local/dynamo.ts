import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Log, silentLog } from '../lib/shared/index.js';
import { ensureTable } from '../lib/store/table.js';

type DynaliteFactory = (options?: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;

// dynalite (a devDependency) is CommonJS without type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

/** Region and placeholder credentials for local endpoints (dynalite checks neither). */
export const LOCAL_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

export interface LocalDynamoOptions {
  readonly host?: string;
  /** 0 = any free port. */
  readonly port?: number;
  readonly tableName?: string;
  /** LevelDB directory to keep data between runs; in memory when absent. */
  readonly path?: string;
  readonly logger?: Log;
}

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  close(): Promise<void>;
}

export const DEFAULT_LOCAL_TABLE = 'meeting-lifecycle-local';

/** Clients for a local DynamoDB endpoint, configured like the deployed functions' clients. */
export const createLocalDynamoClients = (endpoint: string) => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, doc };
};

/** Starts dynalite in this process and creates the lifecycle table (npm start and tests). */
export const startLocalDynamo = async ({
  host = '127.0.0.1',
  port = 0,
  tableName = DEFAULT_LOCAL_TABLE,
  path,
  logger = silentLog,
}: LocalDynamoOptions = {}): Promise<LocalDynamo> => {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${boundPort}`;
  const { client, doc } = createLocalDynamoClients(endpoint);
  const close = async () => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };
  try {
    await ensureTable(client, tableName, { logger });
  } catch (error) {
    await close();
    throw error;
  }
  logger.info('local DynamoDB ready', { endpoint, tableName });
  return { endpoint, client, doc, tableName, close };
};
