import { sleep as defaultSleep } from '../shared/clock.js';
import type { DynamoPort, Item, Key } from './dynamo-port.js';
import { STORE_ERROR_KIND, StoreError, storeCall } from './errors.js';
import { TABLE_KEYS } from './table.js';

/** DynamoDB's per-call limits (BatchWriteItem, BatchGetItem). */
export const BATCH_WRITE_MAX = 25;
export const BATCH_GET_MAX = 100;

export interface BatchOptions {
  /** Attempts per chunk while DynamoDB hands back unprocessed requests (throttling). */
  readonly maxAttempts?: number;
  /** Backoff before retrying unprocessed requests (full jitter, capped). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const keyOf = (key: Key) => `${String(key[TABLE_KEYS.pk])}\u0000${String(key[TABLE_KEYS.sk])}`;

/** One request per key: a batch naming the same key twice is rejected as a whole. */
const uniqueKeys = <T>(values: readonly T[], key: (value: T) => Key): T[] => [
  ...new Map(values.map((v) => [keyOf(key(v)), v])).values(),
];

const chunks = <T>(values: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(values.length / size) }, (_, i) => values.slice(i * size, (i + 1) * size));

/**
 * Retries what a batch call left unprocessed (DynamoDB's answer to throttling: the call succeeds,
 * some requests come back) with exponential backoff and full jitter, as AWS recommends for
 * batch operations. The client retries failed calls, not unprocessed requests, so this is ours.
 */
const untilProcessed = async <T>(
  operation: string,
  first: readonly T[],
  send: (pending: readonly T[]) => Promise<readonly T[]>,
  options: BatchOptions,
) => {
  const { maxAttempts = 8, baseDelayMs = 50, maxDelayMs = 2_000, sleep = defaultSleep } = options;
  let pending = first;
  for (let attempt = 1; pending.length > 0; attempt++) {
    pending = await storeCall(operation, () => send(pending));
    if (pending.length === 0) return;
    if (attempt >= maxAttempts) {
      throw new StoreError(
        `store ${operation} failed (throttled): ${pending.length} requests still unprocessed after ${attempt} attempts`,
        { kind: STORE_ERROR_KIND.throttled, operation },
      );
    }
    await sleep(Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
  }
};

/** Deletes these keys with BatchWriteItem (25 per call, chunks in parallel). */
export const batchDelete = async (
  client: DynamoPort,
  tableName: string,
  keys: readonly Key[],
  operation: string,
  options: BatchOptions = {},
): Promise<void> => {
  await Promise.all(
    chunks(
      uniqueKeys(keys, (k) => k),
      BATCH_WRITE_MAX,
    ).map((chunk) =>
      untilProcessed(
        operation,
        chunk.map((Key) => ({ DeleteRequest: { Key } })),
        async (requests) => {
          const out = await client.batchWrite({ RequestItems: { [tableName]: requests } });
          return (out.UnprocessedItems[tableName] ?? []) as typeof requests;
        },
        options,
      ),
    ),
  );
};

/** Reads these keys with BatchGetItem (100 per call, chunks in parallel); missing keys are absent. */
export const batchGet = async (
  client: DynamoPort,
  tableName: string,
  keys: readonly Key[],
  operation: string,
  options: BatchOptions & { readonly consistentRead?: boolean } = {},
): Promise<Item[]> => {
  const found: Item[] = [];
  await Promise.all(
    chunks(
      uniqueKeys(keys, (k) => k),
      BATCH_GET_MAX,
    ).map((chunk) =>
      untilProcessed(
        operation,
        chunk,
        async (pending) => {
          const out = await client.batchGet({
            RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead ?? true } },
          });
          found.push(...(out.Responses[tableName] ?? []));
          return out.UnprocessedKeys[tableName]?.Keys ?? [];
        },
        options,
      ),
    ),
  );
  return found;
};
