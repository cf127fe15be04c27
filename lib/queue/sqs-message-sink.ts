import { sleep as defaultSleep, type Log, silentLog } from '../shared/index.js';
import type { BatchResultErrorEntry, SendMessageBatchEntry, SqsPort } from './sqs-port.js';
import { type MessageSink, type QueueMessage, QueueSendError } from './types.js';

export interface SqsMessageSinkOptions {
  /** Create it once per container; its own retries cover throttling and transport errors. */
  readonly client: SqsPort;
  /** A FIFO queue URL (…/name.fifo). */
  readonly queueUrl: string;
  /** Sends per entry, including retries of entries SQS failed on its side (SenderFault false). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly logger?: Log;
}

const MAX_ENTRIES = 10;
// SendMessageBatch payload limit; counted conservatively as the bodies' UTF-8 bytes.
const MAX_BATCH_BYTES = 256 * 1024;
const MAX_DELAY_MS = 5_000;

interface Pending {
  readonly message: QueueMessage;
  reason: string;
}

/** Groups messages in send order into SendMessageBatch-sized chunks (≤ 10 entries, ≤ 256 KiB). */
const chunk = (messages: readonly QueueMessage[]): QueueMessage[][] => {
  const chunks: QueueMessage[][] = [];
  let current: QueueMessage[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.body);
    if (current.length === MAX_ENTRIES || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
};

// Codes only: SQS messages about a bad entry may quote its content, and bodies carry personal data.
const reasonOf = (entry: BatchResultErrorEntry) =>
  `${entry.Code ?? 'Unknown'}${entry.SenderFault ? ' (sender fault)' : ''}`;

/**
 * MessageSink over an SQS FIFO queue. Chunks are sent one after another so a group's messages keep
 * their order across chunks. Entries SQS failed on its side are retried (only those) with
 * backoff; sender faults are not retried. A retried entry can land after later entries of its group
 * that succeeded; the worker's version guard absorbs that.
 */
export const createSqsMessageSink = ({
  client,
  queueUrl,
  maxAttempts = 3,
  baseDelayMs = 100,
  sleep = defaultSleep,
  random = Math.random,
  logger = silentLog,
}: SqsMessageSinkOptions): MessageSink => {
  if (!/\.fifo$/.test(queueUrl))
    throw new TypeError(`createSqsMessageSink: ${queueUrl} is not a FIFO queue URL`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError('maxAttempts must be >= 1');

  const sendChunk = async (messages: QueueMessage[]): Promise<Pending[]> => {
    let pending: Pending[] = messages.map((message) => ({ message, reason: 'not sent' }));
    const permanent: Pending[] = [];
    for (let attempt = 1; attempt <= maxAttempts && pending.length > 0; attempt++) {
      if (attempt > 1) {
        // Full jitter: spread retries of many webhook invocations.
        await sleep(Math.round(random() * Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** (attempt - 2))));
      }
      const entries: SendMessageBatchEntry[] = pending.map(({ message }, i) => ({
        Id: String(i),
        MessageBody: message.body,
        MessageGroupId: message.groupId,
        MessageDeduplicationId: message.deduplicationId,
        ...(message.attributes && {
          MessageAttributes: Object.fromEntries(
            Object.entries(message.attributes).map(([name, value]) => [
              name,
              { DataType: 'String', StringValue: value },
            ]),
          ),
        }),
      }));
      const result = await client.sendMessageBatch({ QueueUrl: queueUrl, Entries: entries });
      const succeeded = new Set((result.Successful ?? []).map((s) => s.Id));
      const failures = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
      const retry: Pending[] = [];
      pending.forEach((entry, i) => {
        if (succeeded.has(String(i))) return;
        const failure = failures.get(String(i));
        entry.reason = failure ? reasonOf(failure) : 'no result for entry';
        (failure?.SenderFault ? permanent : retry).push(entry);
      });
      if (retry.length > 0 || permanent.length > 0) {
        logger.warn('SendMessageBatch partly failed', {
          attempt,
          retrying: attempt < maxAttempts ? retry.length : 0,
          rejected: permanent.length,
          codes: [...new Set([...retry, ...permanent].map((p) => p.reason))],
        });
      }
      pending = retry;
    }
    return [...permanent, ...pending];
  };

  return {
    async send(messages) {
      const chunks = chunk(messages);
      const failed: Pending[] = [];
      for (const [index, current] of chunks.entries()) {
        try {
          failed.push(...(await sendChunk(current)));
        } catch (error) {
          // The client already retried; the rest is not sent so the caller can retry everything in order.
          const notSent = chunks.slice(index).flat();
          const name = error instanceof Error ? error.name : 'Error';
          throw new QueueSendError(
            `SendMessageBatch failed (${name}); ${notSent.length} of ${messages.length} messages not sent`,
            [...failed, ...notSent.map((m) => ({ message: m, reason: name }))].map(toFailed),
            { cause: error },
          );
        }
      }
      if (failed.length > 0) {
        throw new QueueSendError(
          `${failed.length} of ${messages.length} messages not accepted by SQS`,
          failed.map(toFailed),
        );
      }
    },
  };
};

const toFailed = ({ message, reason }: Pending) => ({ deduplicationId: message.deduplicationId, reason });
