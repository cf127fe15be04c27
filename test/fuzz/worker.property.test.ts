import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../functions/lifecycle-worker/handler.js';
import { EVENT_TYPES, type EventType, type HrEvent } from '../../lib/events/schemas.js';
import { createQueueWorker } from '../../lib/lifecycle/queue-worker.js';
import { QueueSendError } from '../../lib/queue/types.js';
import { sampleMember } from '../../local/hr-event-factory.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';
import { malformedBody } from './event-arbitraries.js';

/** One message of a fuzzed batch: a valid event of `type`, or a malformed body. */
type Entry = { group: number; type: EventType } | { group: number; malformed: string };
interface Message {
  readonly body: string;
  readonly groupId: string;
  readonly malformed: boolean;
  readonly version?: number;
}

const TYPES = Object.values(EVENT_TYPES);
const entry: fc.Arbitrary<Entry> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ group: fc.nat(3), type: fc.constantFrom(...TYPES) }) },
  { weight: 1, arbitrary: fc.record({ group: fc.nat(3), malformed: malformedBody }) },
);
/** A batch as the FIFO event source delivers it: at most 10 records, groups interleaved. */
const batch = fc.array(entry, { minLength: 1, maxLength: 10 });

let run = 0;
/** Fresh employees (one FIFO group each) for every run, so runs never see each other's state. */
const toMessages = (entries: readonly Entry[]): Message[] => {
  const prefix = `W${randomUUID().slice(0, 6)}r${++run}g`;
  let version = 0;
  return entries.map((e) => {
    const groupId = `${prefix}${e.group}`;
    if ('malformed' in e) return { body: e.malformed, groupId, malformed: true };
    const event: HrEvent = {
      type: e.type,
      id: `fz-${randomUUID()}`,
      employeeId: groupId,
      version: ++version,
      member: sampleMember(groupId, version, { name: `Zoë 张伟 ${version}` }),
    };
    return { body: JSON.stringify(event), groupId, malformed: false, version };
  });
};

const sqsRecord = (message: Message, n: number): SQSRecord => ({
  messageId: randomUUID(),
  receiptHandle: `fuzz-${n}`,
  body: message.body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: String(Date.now()),
    SenderId: 'FUZZ',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
    SequenceNumber: String(n).padStart(20, '0'),
    MessageGroupId: message.groupId,
    MessageDeduplicationId: randomUUID(),
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(message.body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:meeting-lifecycle-events.fifo',
  awsRegion: 'us-east-1',
});

/**
 * What FIFO order demands: a malformed message fails, and so does everything after it in its
 * group (skipped to keep the order); the other records succeed. Returns the failing indexes and,
 * per group, the version that must end up applied.
 */
const expectedOutcome = (messages: readonly Message[]) => {
  const failedGroups = new Set<string>();
  const failing = new Set<number>();
  const firstFailures = new Set<number>();
  const applied = new Map<string, number | undefined>();
  messages.forEach((m, i) => {
    if (!applied.has(m.groupId)) applied.set(m.groupId, undefined);
    if (failedGroups.has(m.groupId)) failing.add(i);
    else if (m.malformed) {
      failedGroups.add(m.groupId);
      failing.add(i);
      firstFailures.add(i);
    } else applied.set(m.groupId, m.version);
  });
  return { failing, firstFailures, applied };
};

describe('lifecycle worker (fuzzed SQS FIFO batches)', () => {
  let env: LifecycleEnv;
  const reasons = new Map<string, string>();
  beforeAll(async () => {
    env = await startLifecycleEnv();
  });
  afterAll(() => env?.close());

  it('never throws; fails malformed records (and what follows them in their group) and applies the rest', async () => {
    // A dead-letter queue that refuses everything: malformed records then stay on the queue,
    // which is what exercises the FIFO rule of returning the rest of their group with them.
    const unavailableDlq = {
      send: async () => {
        throw new QueueSendError('dead-letter queue unavailable', []);
      },
    };
    const handedBack = new Map<string, number>();
    const worker = createQueueWorker({
      lifecycle: env.lifecycle,
      deadLetters: unavailableDlq,
      visibility: {
        setVisibility: async (changes) => {
          for (const c of changes) handedBack.set(c.receiptHandle, c.delayMs);
        },
      },
    });
    const handler = createWorkerHandler(async () => worker, {
      onRecordFailure: (record, reason) => reasons.set(record.messageId, reason),
    });
    await fc.assert(
      fc.asyncProperty(batch, async (entries) => {
        const messages = toMessages(entries);
        const records = messages.map(sqsRecord);
        reasons.clear();
        handedBack.clear();
        const response = (await handler(
          { Records: records },
          createLambdaContext('lifecycle-worker'),
        )) as SQSBatchResponse;
        const { failing, firstFailures, applied } = expectedOutcome(messages);
        const failedIds = response.batchItemFailures.map((f) => f.itemIdentifier).sort();
        expect(failedIds).toEqual(
          records
            .filter((_, i) => failing.has(i))
            .map((r) => r.messageId)
            .sort(),
        );
        // Every returned record carries a reason: its own failure, or that it was skipped behind one.
        expect([...reasons.keys()].sort()).toEqual(failedIds);
        // ...and goes back to the queue with a delay of the worker's choosing, never left to the
        // visibility timeout; one skipped behind a failure comes back with it, not before.
        expect([...handedBack.keys()].sort()).toEqual(
          records
            .filter((_, i) => failing.has(i))
            .map((r) => r.receiptHandle)
            .sort(),
        );
        records.forEach((r, i) => {
          if (!failing.has(i)) return;
          const head = records.find(
            (_h, j) => firstFailures.has(j) && messages[j]!.groupId === messages[i]!.groupId,
          );
          expect(handedBack.get(r.receiptHandle)).toBe(handedBack.get(head!.receiptHandle));
          expect(handedBack.get(r.receiptHandle)).toBeGreaterThan(0);
        });
        records.forEach((r, i) => {
          if (firstFailures.has(i)) expect(reasons.get(r.messageId)).toMatch(/^EventValidationError: /);
          else if (failing.has(i)) expect(reasons.get(r.messageId)).toMatch(/^skipped: /);
        });
        for (const [groupId, version] of applied) {
          expect((await env.lifecycle.context.store.getEmployee(groupId))?.lastVersion, groupId).toBe(
            version,
          );
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('lifecycle worker behind the local FIFO queue (fuzzed)', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // The fuzz terminates far more than 20% of its few employees: the mass-offboarding breaker
    // (tested on its own) would rightly stage those disables, so it stays out of reach here.
    stack = await startLocalStack({
      env: {
        DISABLE_LINGER_MS: '0',
        OFFBOARD_BREAKER_MAX_COUNT: '1000000',
        OFFBOARD_BREAKER_MAX_PERCENT: '100',
        CLEANUP_GUARD_MIN_COUNT: '1000000',
      },
    });
  });
  afterAll(() => stack?.stop());

  /** Sends the messages, waits until the worker is done, and returns this run's dead letters. */
  const sendThrough = async (messages: readonly Message[]) => {
    const ids = messages.map(() => randomUUID());
    await stack.queue.send(
      messages.map((m, i) => ({ body: m.body, groupId: m.groupId, deduplicationId: ids[i]! })),
    );
    await stack.drain(20_000);
    const dead = new Map(stack.dlq.messages().map((m) => [m.deduplicationId, m]));
    return ids.map((id) => dead.get(id));
  };
  const lastVersion = async (groupId: string) =>
    (await (await stack.getLifecycle()).context.store.getEmployee(groupId))?.lastVersion;

  it('dead-letters malformed messages with a reason; valid messages of other employees are applied', async () => {
    // Each malformed message gets a group of its own here; the next test queues messages behind one.
    const separate = batch.map((entries) =>
      entries.map((e, i) => ('malformed' in e ? { ...e, group: 10 + i } : e)),
    );
    await fc.assert(
      fc.asyncProperty(separate, async (entries) => {
        const messages = toMessages(entries);
        const dead = await sendThrough(messages);
        messages.forEach((m, i) => {
          if (m.malformed) expect(dead[i]?.attributes.reason ?? '').toMatch(/^EventValidationError: /);
          else expect(dead[i], 'a valid message is not dead-lettered').toBeUndefined();
        });
        for (const [groupId, version] of expectedOutcome(messages).applied) {
          expect(await lastVersion(groupId)).toBe(version);
        }
      }),
      { numRuns: 5 },
    );
  });

  it('handles messages queued behind a malformed one of the same employee on their own merits', async () => {
    const [poison, hire, garbage] = toMessages([
      { group: 0, malformed: '{"type":"employee.hired"' },
      { group: 0, type: EVENT_TYPES.hired },
      { group: 0, malformed: '[]' },
    ]);
    const dead = await sendThrough([poison!, hire!, garbage!]);
    expect(dead[0]?.attributes.reason ?? '').toMatch(/^EventValidationError: /);
    // Skipped (never processed) while the poison message was retried, these must not share its fate.
    expect.soft(dead[1], 'the valid hire behind it is not dead-lettered').toBeUndefined();
    expect.soft(await lastVersion(hire!.groupId), 'the valid hire is applied').toBe(hire!.version);
    expect
      .soft(dead[2]?.attributes.reason ?? '', 'a malformed follower is dead-lettered with its own reason')
      .toMatch(/^EventValidationError: /);
  });
});
