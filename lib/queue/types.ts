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
