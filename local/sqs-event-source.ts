import { createHash } from 'node:crypto';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { type Log, silentLog, sleep } from '../lib/shared/index.js';
import { createLambdaContext } from './lambda-context.js';
import type { LocalFifoQueue, ReceivedMessage } from './local-fifo-queue.js';

/**
 * Local stand-in for Lambda's SQS event source mapping (FIFO, ReportBatchItemFailures): polls a
 * LocalFifoQueue, invokes the handler with a real-shaped SQSEvent, deletes what succeeded and
 * leaves the rest to come back after the visibility timeout, exactly as AWS does.
 */

/** Its result is read as AWS reads it: an SQSBatchResponse, or nothing for "all succeeded". */
export type SqsLambdaHandler = (event: SQSEvent, context: Context) => unknown;

export type EventSourceQueue = Pick<
  LocalFifoQueue,
  'name' | 'visibilityTimeoutMs' | 'receive' | 'delete' | 'recordFailure' | 'stats'
>;

export interface SqsEventSourceOptions {
  readonly queue: EventSourceQueue;
  readonly handler: SqsLambdaHandler;
  /** Records per invocation, 1-10 (FIFO event source limit). */
  readonly batchSize?: number;
  readonly queueArn?: string;
  readonly awsRegion?: string;
  readonly functionName?: string;
  /** The function timeout: the context's deadline; an invocation running longer fails its batch. */
  readonly timeoutMs?: number;
  /** Wait between polls of an empty queue. */
  readonly pollIntervalMs?: number;
  /** Parallel pollers, each invoking the handler one batch at a time. */
  readonly concurrency?: number;
  readonly logger?: Log;
  /** Chaos hook, runs before each invocation: throwing "kills" the invocation (the batch is not acknowledged). */
  readonly beforeInvoke?: (event: SQSEvent, context: Context) => void | Promise<void>;
  /** Called for each failed record with a reason; the reason is always recorded on the queue too (DLQ `reason`). */
  readonly onFailure?: (record: SQSRecord, reason: string) => void;
}

export interface SqsEventSource {
  start(): void;
  /** Stops polling and waits for running invocations to finish. */
  stop(): Promise<void>;
  /** Resolves once the queue has nothing visible or in flight (DLQ aside) and no invocation runs. */
  drain(options?: { timeoutMs?: number }): Promise<void>;
}

/** A batch item failure as handlers may return it; `reason` is our local extension (AWS ignores it). */
type FailureEntry = { itemIdentifier?: unknown; reason?: unknown };

const ACCOUNT_ID = '000000000000';
const SENDER_ID = 'AIDALOCALSENDER000000';

export const createSqsEventSource = ({
  queue,
  handler,
  batchSize = 10,
  queueArn,
  awsRegion = 'us-east-1',
  functionName = 'lifecycle-worker',
  timeoutMs = 30_000,
  pollIntervalMs = 20,
  concurrency = 1,
  logger = silentLog,
  beforeInvoke,
  onFailure,
}: SqsEventSourceOptions): SqsEventSource => {
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10)
    throw new RangeError('batchSize must be 1-10');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be >= 1');
  const eventSourceARN = queueArn ?? `arn:aws:sqs:${awsRegion}:${ACCOUNT_ID}:${queue.name}`;
  let running = false;
  let stopController = new AbortController();
  let pollers: Promise<void>[] = [];
  let activeInvocations = 0;

  const toRecord = (m: ReceivedMessage): SQSRecord => ({
    messageId: m.messageId,
    receiptHandle: m.receiptHandle,
    body: m.body,
    attributes: {
      ApproximateReceiveCount: String(m.receiveCount),
      SentTimestamp: String(m.sentAt),
      SenderId: SENDER_ID,
      ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
      SequenceNumber: m.sequenceNumber,
      MessageGroupId: m.groupId,
      MessageDeduplicationId: m.deduplicationId,
    },
    messageAttributes: Object.fromEntries(
      Object.entries(m.attributes).map(([k, v]) => [
        k,
        { stringValue: v, stringListValues: [], binaryListValues: [], dataType: 'String' },
      ]),
    ),
    md5OfBody: createHash('md5').update(m.body, 'utf8').digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  });

  const fail = (record: SQSRecord, reason: string) => {
    queue.recordFailure(record.receiptHandle, reason);
    onFailure?.(record, reason);
  };

  /** AWS rules: null/empty response = all succeeded; a missing, empty or unknown id fails the whole batch. */
  const failedItems = (response: unknown, records: SQSRecord[]): FailureEntry[] | string => {
    if (response === undefined || response === null) return [];
    if (typeof response !== 'object') return 'response is not an object';
    const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
    if (failures === undefined || failures === null) return [];
    if (!Array.isArray(failures)) return 'batchItemFailures is not a list';
    const ids = new Set(records.map((r) => r.messageId));
    for (const entry of failures as FailureEntry[]) {
      const id = entry?.itemIdentifier;
      if (typeof id !== 'string' || id === '') return 'empty or missing itemIdentifier';
      if (!ids.has(id)) return `unknown itemIdentifier ${id}`;
    }
    return failures as FailureEntry[];
  };

  const invoke = async (messages: ReceivedMessage[]) => {
    const records = messages.map(toRecord);
    const event: SQSEvent = { Records: records };
    const context = createLambdaContext(functionName, timeoutMs);
    let response: unknown;
    try {
      await beforeInvoke?.(event, context);
      response = await withTimeout(Promise.resolve(handler(event, context)), timeoutMs);
    } catch (error) {
      // Thrown, timed out or killed: nothing is acknowledged; the batch returns after the visibility timeout.
      const reason = describe(error);
      logger.warn('invocation failed; whole batch will be retried', {
        functionName,
        records: records.length,
        reason,
      });
      for (const record of records) fail(record, reason);
      return;
    }
    const failures = failedItems(response, records);
    if (typeof failures === 'string') {
      logger.warn('invalid batch response; whole batch will be retried', { functionName, problem: failures });
      for (const record of records) fail(record, `invalid batch response: ${failures}`);
      return;
    }
    const failedIds = new Set(failures.map((f) => f.itemIdentifier as string));
    for (const entry of failures) {
      const record = records.find((r) => r.messageId === entry.itemIdentifier)!;
      if (typeof entry.reason === 'string') fail(record, entry.reason);
    }
    for (const record of records) {
      if (failedIds.has(record.messageId)) continue;
      if (!(await queue.delete(record.receiptHandle))) {
        logger.warn(
          'delete failed: processing outlasted the visibility timeout; the message will be redelivered',
          {
            messageId: record.messageId,
          },
        );
      }
    }
  };

  const poll = async () => {
    const signal = stopController.signal;
    while (running) {
      let messages: ReceivedMessage[];
      try {
        messages = await queue.receive({ maxMessages: batchSize });
      } catch (error) {
        logger.error('receive failed', { reason: describe(error) });
        messages = [];
      }
      if (messages.length === 0) {
        await sleep(pollIntervalMs, signal).catch(() => undefined);
        continue;
      }
      activeInvocations++;
      try {
        await invoke(messages);
      } finally {
        activeInvocations--;
      }
      // A fast handler on a busy queue would otherwise chain microtasks forever and starve timers and I/O.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  return {
    start() {
      if (running) return;
      running = true;
      stopController = new AbortController();
      if (timeoutMs > queue.visibilityTimeoutMs) {
        logger.warn('function timeout exceeds the visibility timeout: slow batches may be delivered twice', {
          timeoutMs,
          visibilityTimeoutMs: queue.visibilityTimeoutMs,
        });
      }
      pollers = Array.from({ length: concurrency }, () => poll());
      logger.info('sqs event source started', { queue: queue.name, functionName, batchSize, concurrency });
    },

    async stop() {
      running = false;
      stopController.abort();
      await Promise.all(pollers);
      pollers = [];
    },

    async drain({ timeoutMs: drainTimeoutMs = 30_000 } = {}) {
      const deadline = Date.now() + drainTimeoutMs;
      for (;;) {
        const stats = queue.stats();
        if (stats.visible === 0 && stats.inFlight === 0 && activeInvocations === 0) return;
        if (Date.now() >= deadline) {
          throw new Error(
            `queue ${queue.name} not drained after ${drainTimeoutMs} ms (visible ${stats.visible}, in flight ${stats.inFlight})`,
          );
        }
        await sleep(Math.min(pollIntervalMs, 10));
      }
    },
  };
};

const describe = (error: unknown): string =>
  (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 512);

class InvocationTimeoutError extends Error {
  override readonly name = 'InvocationTimeoutError';
}

const withTimeout = async <T>(promise: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new InvocationTimeoutError(`Task timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
