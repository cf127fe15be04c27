import { createSqsMessageSink } from './sqs-message-sink.js';
import type { SqsMessage as Message, SqsPort } from './sqs-port.js';

/** One message in the dead-letter queue. */
export interface DeadLetter {
  readonly messageId: string;
  readonly body: string;
  /** The employee id (FIFO message group). */
  readonly groupId: string;
  readonly deduplicationId: string;
  /**
   * Receives before it was dead-lettered: the `receiveCount` the worker (or the local queue's
   * redrive) recorded, else SQS's count across both queues less this listing's own receive.
   */
  readonly receiveCount: number;
  /** When it was sent to the DLQ (epoch ms). */
  readonly sentAt: number;
  /** `reason`, `eventId`, `sourceMessageId`, ... as the worker set them. */
  readonly attributes: Readonly<Record<string, string>>;
}

export interface DeadLetterListing {
  readonly messages: DeadLetter[];
  /** SQS's approximate count of messages in the DLQ (more than listed if some could not be reached). */
  readonly approximateTotal: number;
}

/**
 * Operator tools over the FIFO dead-letter queue (`npm run dlq`, docs/operations.md). SQS has no
 * peek: a listing receives the messages, holds them briefly and makes them visible again. A
 * replay sends each message back to the lifecycle queue (same body and message group, a fresh
 * deduplication id so SQS does not drop it as a repeat) and only then deletes it from the DLQ:
 * if the send fails it stays. Replays are safe because the worker's version guard skips what was
 * already applied. FIFO limits what one listing reaches: messages behind ten of the same
 * employee's stay hidden until those are replayed or removed.
 */
export interface DeadLetterQueue {
  list(options?: { max?: number }): Promise<DeadLetterListing>;
  /** Replays the messages with these ids, or every message; returns what was replayed and what was not found. */
  replay(select: readonly string[] | 'all'): Promise<{ replayed: DeadLetter[]; notFound: string[] }>;
}

export interface SqsDeadLetterQueueOptions {
  readonly client: SqsPort;
  readonly deadLetterQueueUrl: string;
  /** Where replays go: the lifecycle queue. */
  readonly queueUrl: string;
  /** How long listed messages are held invisible while the listing runs (seconds). */
  readonly holdSeconds?: number;
  /** Long-poll wait per receive (seconds): short polling may miss messages of a small queue. */
  readonly waitSeconds?: number;
}

const MAX_RECEIVE = 10;
const DEFAULT_MAX = 1_000;

const letterOf = (m: Message): DeadLetter => {
  const attributes = Object.fromEntries(
    Object.entries(m.MessageAttributes ?? {}).flatMap(([name, value]) =>
      value.StringValue === undefined ? [] : [[name, value.StringValue]],
    ),
  );
  const recorded = Number(attributes.receiveCount);
  const counted = Number(m.Attributes?.ApproximateReceiveCount ?? 1) - 1;
  return {
    messageId: m.MessageId ?? '',
    body: m.Body ?? '',
    groupId: m.Attributes?.MessageGroupId ?? '',
    deduplicationId: m.Attributes?.MessageDeduplicationId ?? '',
    receiveCount: Number.isFinite(recorded) && recorded > 0 ? recorded : Math.max(counted, 0),
    sentAt: Number(m.Attributes?.SentTimestamp ?? 0),
    attributes,
  };
};

/** A fresh deduplication id (≤ 128 characters) so that SQS does not drop the replay within 5 minutes. */
const replayDeduplicationId = (letter: DeadLetter, stamp: string) =>
  `${letter.deduplicationId.slice(0, 100)}.replay.${stamp}`;

export const createSqsDeadLetterQueue = ({
  client,
  deadLetterQueueUrl,
  queueUrl,
  holdSeconds = 60,
  waitSeconds = 1,
}: SqsDeadLetterQueueOptions): DeadLetterQueue => {
  const sink = createSqsMessageSink({ client, queueUrl });

  const receive = async () => {
    const { Messages = [] } = await client.receiveMessage({
      QueueUrl: deadLetterQueueUrl,
      MaxNumberOfMessages: MAX_RECEIVE,
      VisibilityTimeout: holdSeconds,
      WaitTimeSeconds: waitSeconds,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    });
    return Messages;
  };

  const inTens = async (messages: readonly Message[], each: (part: Message[]) => Promise<unknown>) => {
    for (let i = 0; i < messages.length; i += MAX_RECEIVE) await each(messages.slice(i, i + MAX_RECEIVE));
  };

  /** Makes held messages visible again; a failure only delays them until the hold ends. */
  const release = (messages: readonly Message[]) =>
    inTens(messages, (part) =>
      client
        .changeMessageVisibilityBatch({
          QueueUrl: deadLetterQueueUrl,
          Entries: part.map((m, i) => ({
            Id: String(i),
            ReceiptHandle: m.ReceiptHandle ?? '',
            VisibilityTimeout: 0,
          })),
        })
        .catch(() => undefined),
    );

  const remove = (messages: readonly Message[]) =>
    inTens(messages, async (part) => {
      const result = await client.deleteMessageBatch({
        QueueUrl: deadLetterQueueUrl,
        Entries: part.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
      });
      if ((result.Failed ?? []).length > 0) {
        // Replayed but still in the DLQ: a second replay is harmless (version guard).
        throw new Error(`${result.Failed!.length} replayed message(s) could not be removed from the DLQ`);
      }
    });

  return {
    async list({ max = DEFAULT_MAX } = {}) {
      const held: Message[] = [];
      try {
        while (held.length < max) {
          const batch = await receive();
          if (batch.length === 0) break;
          held.push(...batch);
        }
      } finally {
        await release(held);
      }
      const { Attributes } = await client.getQueueAttributes({
        QueueUrl: deadLetterQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      });
      const approximateTotal =
        Number(Attributes?.ApproximateNumberOfMessages ?? 0) +
        Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0);
      return { messages: held.slice(0, max).map(letterOf), approximateTotal };
    },

    async replay(select) {
      const wanted = select === 'all' ? undefined : new Set(select);
      // A replay that fails again while this runs comes back under this stamp: it is not sent twice.
      const stamp = Date.now().toString(36);
      const again = (m: Message) => m.Attributes?.MessageDeduplicationId?.endsWith(`.replay.${stamp}`);
      const kept: Message[] = [];
      const replayed: DeadLetter[] = [];
      try {
        for (;;) {
          const batch = await receive();
          if (batch.length === 0) break;
          const chosen = batch.filter((m) => !again(m) && (!wanted || wanted.has(m.MessageId ?? '')));
          kept.push(...batch.filter((m) => !chosen.includes(m)));
          if (chosen.length > 0) {
            const letters = chosen.map(letterOf);
            // In DLQ order, so one employee's events keep their order on the queue.
            await sink.send(
              letters.map((letter) => ({
                body: letter.body,
                groupId: letter.groupId,
                deduplicationId: replayDeduplicationId(letter, stamp),
                attributes: { replayOf: letter.messageId },
              })),
            );
            await remove(chosen);
            replayed.push(...letters);
          }
          if (wanted && replayed.length === wanted.size) break;
        }
      } finally {
        await release(kept);
      }
      const done = new Set(replayed.map((r) => r.messageId));
      return { replayed, notFound: wanted ? [...wanted].filter((id) => !done.has(id)) : [] };
    },
  };
};
