/** SQS's classic limit on one message: its body plus each attribute's name, type and value. */
export const MAX_QUEUE_MESSAGE_BYTES = 256 * 1024;
/**
 * Room kept beside a body for the attributes a dead letter carries (a reason of at most 1,000
 * characters, the event id, the source message id: under 3.5 KB of UTF-8), so that any body we
 * accept can still be moved to the DLQ with its reason.
 */
export const DEAD_LETTER_ATTRIBUTE_BYTES = 4 * 1024;
/** The largest message body we accept (252 KiB): what one queue message carries beside those. */
export const MAX_MESSAGE_BODY_BYTES = MAX_QUEUE_MESSAGE_BYTES - DEAD_LETTER_ATTRIBUTE_BYTES;

/** One message for the FIFO lifecycle queue. */
export interface QueueMessage {
  readonly body: string;
  /** FIFO message group: the HR employee key, so one employee's events stay in order. */
  readonly groupId: string;
  /** FIFO deduplication id: the event id. */
  readonly deduplicationId: string;
  /** String message attributes (e.g. `reason` on a dead letter). */
  readonly attributes?: Readonly<Record<string, string>>;
}

/**
 * The producer port: the webhook only needs to put messages on the queue.
 * Production: SQS (sqs-message-sink.ts). Local runs and tests: LocalFifoQueue.
 * Resolves only when every message was accepted; otherwise rejects with QueueSendError.
 */
export interface MessageSink {
  send(messages: readonly QueueMessage[]): Promise<void>;
}

export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
  readonly retryable = true;
  constructor(
    message: string,
    readonly failed: readonly { deduplicationId: string; reason: string }[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** When a received message becomes receivable again: `delayMs` from now (0 = at once). */
export interface VisibilityChange {
  /** The handle of the receive that delivered the message. */
  readonly receiptHandle: string;
  readonly delayMs: number;
}

/**
 * The consumer port: hands received messages back to the queue with a delay of its choice
 * (SQS ChangeMessageVisibility) instead of the queue's fixed visibility timeout. Production:
 * SQS (sqs-visibility.ts). Local runs and tests: LocalFifoQueue.
 */
export interface MessageVisibility {
  setVisibility(changes: readonly VisibilityChange[]): Promise<void>;
}
