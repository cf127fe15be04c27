import { randomUUID } from 'node:crypto';
import {
  type MessageSink,
  type MessageVisibility,
  type QueueMessage,
  QueueSendError,
} from '../lib/queue/types.js';
import { type Clock, systemClock } from '../lib/shared/index.js';

/**
 * In-process SQS FIFO queue for local runs and tests. It keeps the semantics the worker relies on:
 * deduplication window, strict order per message group (nothing of a group is delivered while an
 * earlier message of it is in flight), visibility timeout, ChangeMessageVisibility, receive
 * counts (ApproximateReceiveCount), and redrive to a DLQ after maxReceiveCount receives.
 */

export interface LocalFifoQueueOptions {
  readonly name?: string;
  readonly visibilityTimeoutMs?: number;
  /** Receives before a message moves to `dlq` (SQS redrive policy); without a dlq it is retried forever. */
  readonly maxReceiveCount?: number;
  readonly dedupWindowMs?: number;
  /** SQS DeduplicationScope: 'queue' (the SQS default) or 'messageGroup' (high-throughput FIFO). */
  readonly dedupScope?: 'queue' | 'messageGroup';
  readonly clock?: Clock;
  readonly dlq?: LocalFifoQueue;
  /** Messages and deduplication state of an earlier process (`snapshot()`), e.g. from `.local/`. */
  readonly restore?: QueueSnapshot;
}

export interface ReceiveOptions {
  /** 1-10, like SQS MaxNumberOfMessages. */
  readonly maxMessages?: number;
  readonly visibilityTimeoutMs?: number;
}

export interface ReceivedMessage {
  readonly messageId: string;
  /** Valid only for this receive, and only until its visibility timeout ends. */
  readonly receiptHandle: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly receiveCount: number;
  readonly sequenceNumber: string;
  readonly sentAt: number;
  readonly firstReceivedAt: number;
  /** String attributes; a dead letter carries `reason` (if recorded) and `sourceQueue`. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** A stored message as `messages()` shows it. */
export interface QueuedMessage extends Omit<ReceivedMessage, 'receiptHandle' | 'firstReceivedAt'> {
  readonly inFlight: boolean;
  readonly firstReceivedAt?: number;
  readonly lastFailure?: string;
}

export interface LocalFifoQueueStats {
  /** Stored and not in flight (including messages waiting behind an in-flight one of their group). */
  readonly visible: number;
  readonly inFlight: number;
  readonly sent: number;
  /** Accepted but dropped as duplicates within the dedup window. */
  readonly deduplicated: number;
  readonly deleted: number;
  readonly movedToDlq: number;
  /**
   * Redeliveries because a receive's visibility timeout ran out with the message neither deleted
   * nor handed back: each one waited out the whole visibility timeout (a crashed, killed or
   * silent consumer).
   */
  readonly visibilityTimeouts: number;
  /** Messages handed back by the consumer (ChangeMessageVisibility), with any delay. */
  readonly handedBack: number;
}

export interface LocalFifoQueue extends MessageSink, MessageVisibility {
  readonly name: string;
  readonly visibilityTimeoutMs: number;
  receive(options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** True if deleted; false for a stale or unknown handle (the message stays, as in SQS FIFO). */
  delete(receiptHandle: string): Promise<boolean>;
  /** Sets the in-flight message's remaining invisibility; 0 makes it visible now. False if the handle is stale. */
  changeVisibility(receiptHandle: string, timeoutMs: number): Promise<boolean>;
  /** Remembers why processing failed; carried as the `reason` attribute if the message dead-letters. */
  recordFailure(receiptHandle: string, reason: string): boolean;
  stats(): LocalFifoQueueStats;
  messages(): QueuedMessage[];
  /** What the queue holds, for a later process to restore; messages in flight count as visible. */
  snapshot(): QueueSnapshot;
}

/** A queue's messages and deduplication window, as JSON (persisted by local/queue-files.ts). */
export interface QueueSnapshot {
  readonly name: string;
  readonly sequence: number;
  /** Stored messages without their receipt (handles die with the process: in flight = visible again). */
  readonly messages: readonly Readonly<Omit<Stored, 'receiptHandle' | 'invisibleUntil' | 'handedBack'>>[];
  /** Deduplication keys still in the window, with when they were first seen. */
  readonly dedup: readonly (readonly [string, number])[];
}

interface Stored {
  readonly messageId: string;
  readonly body: string;
  readonly groupId: string;
  readonly deduplicationId: string;
  readonly sequence: number;
  readonly sentAt: number;
  readonly attributes: Record<string, string>;
  receiveCount: number;
  firstReceivedAt?: number;
  receiptHandle?: string;
  invisibleUntil: number;
  /** The consumer changed this receive's visibility (so its expiry is not a timeout). */
  handedBack?: boolean;
  lastFailure?: string;
}

const MAX_BATCH = 10;
const MAX_BODY_BYTES = 256 * 1024;
const MAX_VISIBILITY_MS = 12 * 3600 * 1000;
const MAX_REASON_CHARS = 1024;
// SQS: up to 128 alphanumeric and punctuation characters.
const ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** Lets a queue hand a dead letter to its DLQ without exposing a public "insert anywhere" method. */
const deadLetterInbox = new WeakMap<LocalFifoQueue, (message: Stored) => void>();

export const createLocalFifoQueue = ({
  name = 'local-queue.fifo',
  visibilityTimeoutMs = 30_000,
  maxReceiveCount = 5,
  dedupWindowMs = 300_000,
  dedupScope = 'queue',
  clock = systemClock,
  dlq,
  restore: restored,
}: LocalFifoQueueOptions = {}): LocalFifoQueue => {
  checkVisibility(visibilityTimeoutMs);
  if (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1)
    throw new RangeError('maxReceiveCount must be >= 1');
  const toDlq = dlq ? deadLetterInbox.get(dlq) : undefined;
  if (dlq && !toDlq) throw new TypeError('dlq must be a queue made by createLocalFifoQueue');

  const groups = new Map<string, Stored[]>();
  const byHandle = new Map<string, Stored>();
  const dedupSeen = new Map<string, number>();
  const counters = {
    sent: 0,
    deduplicated: 0,
    deleted: 0,
    movedToDlq: 0,
    visibilityTimeouts: 0,
    handedBack: 0,
  };
  let sequence = 0;

  const enqueue = (message: Stored) => {
    const group = groups.get(message.groupId);
    if (group) group.push(message);
    else groups.set(message.groupId, [message]);
  };

  const remove = (message: Stored) => {
    if (message.receiptHandle) byHandle.delete(message.receiptHandle);
    const group = groups.get(message.groupId) ?? [];
    group.splice(group.indexOf(message), 1);
    if (group.length === 0) groups.delete(message.groupId);
  };

  /** Time-driven transitions, evaluated lazily so a fake clock drives them. */
  const refresh = () => {
    const now = clock.now();
    for (const message of [...byHandle.values()]) {
      if (message.invisibleUntil > now) continue;
      byHandle.delete(message.receiptHandle!);
      message.receiptHandle = undefined;
      if (!message.handedBack) counters.visibilityTimeouts++;
      if (toDlq && message.receiveCount >= maxReceiveCount) {
        remove(message);
        counters.movedToDlq++;
        toDlq({
          ...message,
          attributes: {
            ...message.attributes,
            sourceQueue: name,
            ...(message.lastFailure ? { reason: message.lastFailure } : {}),
            receiveCount: String(message.receiveCount),
          },
        });
      }
    }
    for (const [id, at] of dedupSeen) if (now - at >= dedupWindowMs) dedupSeen.delete(id);
  };

  const live = (receiptHandle: string) => {
    refresh();
    return byHandle.get(receiptHandle);
  };

  const accept = (message: QueueMessage): string | undefined => {
    if (typeof message.body !== 'string' || message.body.length === 0)
      return 'body must be a non-empty string';
    if (Buffer.byteLength(message.body) > MAX_BODY_BYTES) return `body exceeds ${MAX_BODY_BYTES} bytes`;
    if (!ID_PATTERN.test(message.groupId)) return 'groupId must be 1-128 printable ASCII characters';
    if (!ID_PATTERN.test(message.deduplicationId))
      return 'deduplicationId must be 1-128 printable ASCII characters';
    const now = clock.now();
    const dedupKey =
      dedupScope === 'messageGroup'
        ? `${message.groupId}\n${message.deduplicationId}`
        : message.deduplicationId;
    if (dedupSeen.has(dedupKey)) {
      counters.deduplicated++; // accepted, not enqueued: exactly what SQS does within the window
      return undefined;
    }
    dedupSeen.set(dedupKey, now);
    counters.sent++;
    enqueue({
      messageId: randomUUID(),
      body: message.body,
      groupId: message.groupId,
      deduplicationId: message.deduplicationId,
      sequence: ++sequence,
      sentAt: now,
      attributes: { ...message.attributes },
      receiveCount: 0,
      invisibleUntil: 0,
    });
    return undefined;
  };

  const queue: LocalFifoQueue = {
    name,
    visibilityTimeoutMs,

    async send(messages) {
      refresh();
      const failed = messages.flatMap((m) => {
        const reason = accept(m);
        return reason ? [{ deduplicationId: String(m.deduplicationId), reason }] : [];
      });
      if (failed.length > 0) {
        throw new QueueSendError(
          `${failed.length} of ${messages.length} messages rejected by ${name}`,
          failed,
        );
      }
    },

    async receive({ maxMessages = 1, visibilityTimeoutMs: timeout = visibilityTimeoutMs } = {}) {
      if (!Number.isInteger(maxMessages) || maxMessages < 1 || maxMessages > MAX_BATCH) {
        throw new RangeError(`maxMessages must be 1-${MAX_BATCH}`);
      }
      checkVisibility(timeout);
      refresh();
      const now = clock.now();
      // Groups with nothing in flight, oldest head first; within a group, strictly in order.
      const available = [...groups.values()]
        .filter((group) => !group.some((m) => m.receiptHandle))
        .sort((a, b) => a[0]!.sequence - b[0]!.sequence);
      const batch: ReceivedMessage[] = [];
      for (const group of available) {
        for (const message of group) {
          if (batch.length === maxMessages) return batch;
          message.receiveCount++;
          message.firstReceivedAt ??= now;
          message.receiptHandle = `${message.messageId}#${randomUUID()}`;
          message.invisibleUntil = now + timeout;
          message.handedBack = false;
          byHandle.set(message.receiptHandle, message);
          batch.push(toReceived(message));
        }
      }
      return batch;
    },

    async delete(receiptHandle) {
      const message = live(receiptHandle);
      if (!message) return false;
      remove(message);
      counters.deleted++;
      return true;
    },

    async changeVisibility(receiptHandle, timeoutMs) {
      checkVisibility(timeoutMs);
      const message = live(receiptHandle);
      if (!message) return false;
      message.invisibleUntil = clock.now() + timeoutMs;
      if (!message.handedBack) counters.handedBack++;
      message.handedBack = true;
      refresh();
      return true;
    },

    async setVisibility(changes) {
      // SQS semantics: a stale handle fails only its own entry; the message keeps its timeout.
      for (const { receiptHandle, delayMs } of changes) {
        await queue.changeVisibility(
          receiptHandle,
          Math.min(MAX_VISIBILITY_MS, Math.max(0, Math.round(delayMs))),
        );
      }
    },

    recordFailure(receiptHandle, reason) {
      const message = live(receiptHandle);
      if (!message) return false;
      message.lastFailure = reason.slice(0, MAX_REASON_CHARS);
      return true;
    },

    stats() {
      refresh();
      let visible = 0;
      for (const group of groups.values()) for (const m of group) if (!m.receiptHandle) visible++;
      return { visible, inFlight: byHandle.size, ...counters };
    },

    snapshot() {
      refresh();
      return {
        name,
        sequence,
        messages: [...groups.values()]
          .flat()
          .sort((a, b) => a.sequence - b.sequence)
          .map(({ receiptHandle: _handle, invisibleUntil: _until, handedBack: _back, ...m }) => ({
            ...m,
            attributes: { ...m.attributes },
          })),
        dedup: [...dedupSeen],
      };
    },

    messages() {
      refresh();
      return [...groups.values()]
        .flat()
        .sort((a, b) => a.sequence - b.sequence)
        .map((m) => ({
          ...messageView(m),
          inFlight: m.receiptHandle !== undefined,
          ...(m.firstReceivedAt === undefined ? {} : { firstReceivedAt: m.firstReceivedAt }),
          ...(m.lastFailure === undefined ? {} : { lastFailure: m.lastFailure }),
        }));
    },
  };

  if (restored) {
    sequence = restored.sequence;
    for (const [key, at] of restored.dedup) dedupSeen.set(key, at);
    for (const message of restored.messages) {
      enqueue({ ...message, attributes: { ...message.attributes }, invisibleUntil: 0 });
    }
  }

  deadLetterInbox.set(queue, (message) => {
    // Redrive keeps id, body, group and dedup id, skips deduplication, and starts a fresh receive count.
    enqueue({
      ...message,
      sequence: ++sequence,
      receiveCount: 0,
      firstReceivedAt: undefined,
      receiptHandle: undefined,
      invisibleUntil: 0,
      lastFailure: undefined,
    });
  });
  return queue;
};

const sequenceNumber = (sequence: number) => String(sequence).padStart(20, '0');

/** The fields every outside view of a stored message shares (copies, never the stored object). */
const messageView = (m: Stored) => ({
  messageId: m.messageId,
  body: m.body,
  groupId: m.groupId,
  deduplicationId: m.deduplicationId,
  receiveCount: m.receiveCount,
  sequenceNumber: sequenceNumber(m.sequence),
  sentAt: m.sentAt,
  attributes: { ...m.attributes },
});

const toReceived = (m: Stored): ReceivedMessage => ({
  ...messageView(m),
  receiptHandle: m.receiptHandle!,
  firstReceivedAt: m.firstReceivedAt!,
});

function checkVisibility(ms: number) {
  if (!Number.isInteger(ms) || ms < 0 || ms > MAX_VISIBILITY_MS) {
    throw new RangeError(`visibility timeout must be 0-${MAX_VISIBILITY_MS} ms`);
  }
}
