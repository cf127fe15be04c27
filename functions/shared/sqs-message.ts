import type { SQSRecord } from 'aws-lambda';
import type { QueuedMessage } from '../../lib/lifecycle/queue-worker.js';

const numberOf = (value: string | undefined) =>
  value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined;

/** An SQS record as lib/lifecycle's queue worker sees any queue message. */
export const messageOf = (record: SQSRecord): QueuedMessage => {
  const sentAt = numberOf(record.attributes.SentTimestamp);
  const receiveCount = numberOf(record.attributes.ApproximateReceiveCount);
  return {
    messageId: record.messageId,
    body: record.body,
    groupId: record.attributes.MessageGroupId ?? 'unknown',
    deduplicationId: record.attributes.MessageDeduplicationId ?? record.messageId,
    ...(sentAt !== undefined && { sentAt }),
    ...(receiveCount !== undefined && { receiveCount }),
    receiptHandle: record.receiptHandle,
  };
};
