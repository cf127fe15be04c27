import { type Log, silentLog } from '../shared/index.js';
import { MAX_VISIBILITY_MS } from './redelivery.js';
import type { SqsPort } from './sqs-port.js';
import type { MessageVisibility, VisibilityChange } from './types.js';

export interface SqsVisibilityOptions {
  /** Create it once per container; its own retries cover throttling and transport errors. */
  readonly client: SqsPort;
  /** The queue the messages were received from. */
  readonly queueUrl: string;
  readonly logger?: Log;
}

/** ChangeMessageVisibilityBatch takes at most 10 entries. */
const MAX_ENTRIES = 10;

/** SQS counts whole seconds, 0 to 12 hours; a delay is rounded up, never shortened. */
const seconds = (delayMs: number) => Math.ceil(Math.min(Math.max(delayMs, 0), MAX_VISIBILITY_MS) / 1000);

/**
 * MessageVisibility over SQS. A change that SQS refuses (a receipt handle that is no longer
 * valid, e.g. the visibility timeout already ran out) is logged and left alone: the message
 * then comes back after the queue's visibility timeout, so nothing is lost either way.
 */
export const createSqsVisibility = ({
  client,
  queueUrl,
  logger = silentLog,
}: SqsVisibilityOptions): MessageVisibility => ({
  async setVisibility(changes: readonly VisibilityChange[]) {
    for (let start = 0; start < changes.length; start += MAX_ENTRIES) {
      const chunk = changes.slice(start, start + MAX_ENTRIES);
      const result = await client.changeMessageVisibilityBatch({
        QueueUrl: queueUrl,
        Entries: chunk.map((change, i) => ({
          Id: String(i),
          ReceiptHandle: change.receiptHandle,
          VisibilityTimeout: seconds(change.delayMs),
        })),
      });
      if (result.Failed && result.Failed.length > 0) {
        // Codes only: the receipt handles are of no use in a log.
        logger.warn('ChangeMessageVisibilityBatch partly failed', {
          failed: result.Failed.length,
          codes: [...new Set(result.Failed.map((f) => f.Code ?? 'Unknown'))],
        });
      }
    }
  },
});
