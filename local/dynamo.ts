import type { IncomingMessage, Server, ServerResponse } from 'node:http';
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
  /** Sees every answer the local DynamoDB sends (the bench counts items read with it). */
  readonly observe?: DynamoObserver;
}

/** One DynamoDB answer: the operation (`Query`, `GetItem`, ...), HTTP status and JSON body. */
export type DynamoObserver = (operation: string, status: number, body: Record<string, unknown>) => void;

/**
 * Items a read answer carries or scanned, as DynamoDB bills them: GetItem 1 when found,
 * Query/Scan `ScannedCount` (also for `Select: COUNT`), BatchGetItem every item returned.
 */
export const itemsRead = (operation: string, body: Record<string, unknown>): number => {
  switch (operation) {
    case 'GetItem':
      return body.Item ? 1 : 0;
    case 'Query':
    case 'Scan':
      return Number(body.ScannedCount ?? body.Count ?? 0);
    case 'BatchGetItem':
      return Object.values((body.Responses ?? {}) as Record<string, unknown[]>).reduce(
        (sum, items) => sum + items.length,
        0,
      );
    default:
      return 0;
  }
};

/** Passes each JSON answer of the dynalite server to `observe` (the server stays as it is). */
const observeAnswers = (server: Server, observe: DynamoObserver) => {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (operation) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        if (typeof args[0] === 'string') {
          try {
            observe(operation, res.statusCode, JSON.parse(args[0]) as Record<string, unknown>);
          } catch {
            // not JSON (health check): nothing to observe
          }
        }
        return end(...args);
      }) as ServerResponse['end'];
    }
    for (const handler of handlers) handler(req, res);
  });
};

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
  observe,
}: LocalDynamoOptions = {}): Promise<LocalDynamo> => {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  if (observe) observeAnswers(server, observe);
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
