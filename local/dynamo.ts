import { fork } from 'node:child_process';
import { once } from 'node:events';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { localAwsTarget } from '../lib/shared/aws-client.js';
import { type Log, silentLog } from '../lib/shared/index.js';
import { createAwsLiteDynamo } from '../lib/store/aws-lite-dynamo.js';
import type { DynamoAdminPort, DynamoPort } from '../lib/store/dynamo-port.js';
import { ensureTable } from '../lib/store/table.js';
import {
  createTally,
  type DynaliteServerOptions,
  type DynamoTally,
  listenDynalite,
} from './dynalite-server.js';

export { type DynamoTally, itemsRead } from './dynalite-server.js';

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
  /** Count requests and items read per operation (`tally`); costs a JSON parse per answer. */
  readonly count?: boolean;
  /** Run dynalite in a child process, on another core (long runs: the bench). */
  readonly separateProcess?: boolean;
}

export interface LocalDynamo {
  readonly endpoint: string;
  /** What the stores use, as the deployed functions do (aws-lite). */
  readonly dynamo: DynamoPort & DynamoAdminPort;
  /** AWS SDK v3 clients, for tests and tools that look at the table on their own. */
  readonly client: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
  /** With `count`: what the server answered so far (see DynamoTally). */
  readonly tally?: { snapshot(): Promise<DynamoTally>; reset(): Promise<void> };
  close(): Promise<void>;
}

export const DEFAULT_LOCAL_TABLE = 'meeting-lifecycle-local';

/** Clients for a local DynamoDB endpoint: the functions' (aws-lite), and AWS SDK v3's for tools. */
export const createLocalDynamoClients = (endpoint: string) => {
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { dynamo: createAwsLiteDynamo(localAwsTarget(endpoint)), client, doc };
};

interface DynaliteBackend {
  readonly endpoint: string;
  readonly tally?: { snapshot(): Promise<DynamoTally>; reset(): Promise<void> };
  close(): Promise<void>;
}

const inline = async (options: DynaliteServerOptions & { count: boolean }): Promise<DynaliteBackend> => {
  const tally = options.count ? createTally() : undefined;
  const server = await listenDynalite({ ...options, ...(tally && { tally }) });
  return {
    endpoint: server.endpoint,
    ...(tally && {
      tally: { snapshot: async () => tally.snapshot(), reset: async () => tally.reset() },
    }),
    close: server.close,
  };
};

/** dynalite in a child process (local/dynalite-process.ts, run by tsx), driven over IPC. */
const separate = async (options: DynaliteServerOptions & { count: boolean }): Promise<DynaliteBackend> => {
  const child = fork(new URL('./dynalite-process.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  child.on('message', (m: { id: number; value?: unknown; error?: string }) => {
    const call = waiting.get(m.id);
    waiting.delete(m.id);
    if (m.error === undefined) call?.resolve(m.value);
    else call?.reject(new Error(`local DynamoDB process: ${m.error}`));
  });
  const exited = once(child, 'exit');
  void exited.then(() => {
    for (const call of waiting.values()) call.reject(new Error('local DynamoDB process exited'));
    waiting.clear();
  });
  const call = <T>(type: string, extra: Record<string, unknown> = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, type, ...extra });
    });
  const { endpoint } = await call<{ endpoint: string }>('start', { options });
  return {
    endpoint,
    ...(options.count && {
      tally: { snapshot: () => call<DynamoTally>('tally'), reset: () => call<void>('reset') },
    }),
    close: async () => {
      await call('close');
      child.disconnect();
      await exited;
    },
  };
};

/** Starts dynalite (in this process unless asked) and creates the lifecycle table (npm start, tests, bench). */
export const startLocalDynamo = async ({
  host = '127.0.0.1',
  port = 0,
  tableName = DEFAULT_LOCAL_TABLE,
  path,
  logger = silentLog,
  count = false,
  separateProcess = false,
}: LocalDynamoOptions = {}): Promise<LocalDynamo> => {
  const backend = await (separateProcess ? separate : inline)({
    host,
    port,
    ...(path ? { path } : {}),
    count,
  });
  const { dynamo, client, doc } = createLocalDynamoClients(backend.endpoint);
  const close = async () => {
    client.destroy();
    await backend.close();
  };
  try {
    await ensureTable(dynamo, tableName, { logger });
  } catch (error) {
    await close();
    throw error;
  }
  logger.info('local DynamoDB ready', { endpoint: backend.endpoint, tableName });
  return {
    endpoint: backend.endpoint,
    dynamo,
    client,
    doc,
    tableName,
    ...(backend.tally && { tally: backend.tally }),
    close,
  };
};
