import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

type DynaliteFactory = (options?: {
  createTableMs?: number;
  deleteTableMs?: number;
  updateTableMs?: number;
  path?: string;
}) => Server;

// dynalite (a devDependency) is CommonJS without type declarations.
const dynalite = createRequire(import.meta.url)('dynalite') as DynaliteFactory;

/**
 * What the local DynamoDB answered, per operation: requests, and items read as DynamoDB bills
 * them (GetItem 1 when found; Query/Scan `ScannedCount`, also for `Select: COUNT`; BatchGetItem
 * every item returned), plus the items read by their `type` attribute. dynalite reports
 * ConsumedCapacity only when a request asks for it, and the functions do not ask.
 */
export interface DynamoTally {
  readonly requests: Record<string, number>;
  readonly itemsRead: Record<string, number>;
  readonly itemsReadByType: Record<string, number>;
}

const emptyTally = (): DynamoTally => ({ requests: {}, itemsRead: {}, itemsReadByType: {} });

/** Items a read answer returned (wire format, `{ type: { S } }`); counts scanned ones apart. */
const returnedItems = (body: Record<string, unknown>) =>
  [
    ...(body.Item ? [body.Item] : []),
    ...((body.Items as unknown[] | undefined) ?? []),
    ...Object.values((body.Responses ?? {}) as Record<string, unknown[]>).flat(),
  ] as { type?: { S?: string } }[];

export const itemsRead = (operation: string, body: Record<string, unknown>): number => {
  if (operation === 'Query' || operation === 'Scan') return Number(body.ScannedCount ?? body.Count ?? 0);
  return operation === 'GetItem' || operation === 'BatchGetItem' ? returnedItems(body).length : 0;
};

const add = (counts: Record<string, number>, key: string, n: number) => {
  if (n > 0) counts[key] = (counts[key] ?? 0) + n;
};

/** Counts every successful answer of the server (requests, items read, their types). */
export const createTally = () => {
  let tally = emptyTally();
  return {
    record(operation: string, body: Record<string, unknown>) {
      add(tally.requests, operation, 1);
      add(tally.itemsRead, operation, itemsRead(operation, body));
      for (const item of returnedItems(body)) add(tally.itemsReadByType, item.type?.S ?? '(none)', 1);
    },
    snapshot: (): DynamoTally => structuredClone(tally),
    reset() {
      tally = emptyTally();
    },
  };
};
export type Tally = ReturnType<typeof createTally>;

/** Passes each successful JSON answer of the server to the tally. */
const tallyAnswers = (server: Server, tally: Tally) => {
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1];
    if (operation) {
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.end = ((...args: unknown[]) => {
        if (res.statusCode === 200 && typeof args[0] === 'string') {
          tally.record(operation, JSON.parse(args[0]) as Record<string, unknown>);
        }
        return end(...args);
      }) as ServerResponse['end'];
    }
    for (const handler of handlers) handler(req, res);
  });
};

export interface DynaliteServerOptions {
  readonly host: string;
  /** 0 = any free port. */
  readonly port: number;
  /** LevelDB directory to keep data between runs; in memory when absent. */
  readonly path?: string;
  readonly tally?: Tally;
}

/** Starts a dynalite server in this process; resolves with its endpoint once it listens. */
export const listenDynalite = async ({ host, port, path, tally }: DynaliteServerOptions) => {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  if (tally) tallyAnswers(server, tally);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://${host}:${boundPort}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
};
