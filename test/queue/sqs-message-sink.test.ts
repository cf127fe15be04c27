import { describe, expect, it } from 'vitest';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import type { SendMessageBatchEntry } from '../../lib/queue/sqs-port.js';
import { type QueueMessage, QueueSendError } from '../../lib/queue/types.js';
import { FAKE_QUEUE_URL, SqsFault, useFakeSqs } from '../helpers/fake-sqs.js';

const QUEUE_URL = FAKE_QUEUE_URL;
const fakeSqs = useFakeSqs();

const messages = (n: number): QueueMessage[] =>
  Array.from({ length: n }, (_, i) => ({
    body: `{"n":${i}}`,
    groupId: `emp-${i % 3}`,
    deduplicationId: `evt-${i}`,
  }));

/** Answers like SQS: every entry succeeds unless `fail` says otherwise. */
const answer =
  (fail: (entryBody: string) => { SenderFault: boolean; Code: string } | undefined = () => undefined) =>
  (input: Record<string, unknown>) => {
    const entries = (input.Entries ?? []) as SendMessageBatchEntry[];
    const failed = entries.flatMap((e) => {
      const f = fail(e.MessageBody!);
      return f ? [{ Id: e.Id, ...f }] : [];
    });
    const ok = entries.filter((e) => !failed.some((f) => f.Id === e.Id));
    return {
      Successful: ok.map((e) => ({
        Id: e.Id,
        MessageId: `m-${e.Id}`,
        MD5OfMessageBody: 'x',
        SequenceNumber: '1',
      })),
      Failed: failed,
    };
  };

const sink = (maxAttempts = 3) => {
  const delays: number[] = [];
  const s = createSqsMessageSink({
    client: fakeSqs().client,
    queueUrl: QUEUE_URL,
    maxAttempts,
    sleep: async (ms) => {
      delays.push(ms);
    },
    random: () => 1,
  });
  return { s, delays };
};

type SentBatch = { QueueUrl?: string; Entries?: SendMessageBatchEntry[] };
const calls = () => fakeSqs().inputs('SendMessageBatch') as SentBatch[];

describe('createSqsMessageSink', () => {
  it('sends FIFO entries in order, at most 10 per call', async () => {
    fakeSqs().on('SendMessageBatch', answer());
    await sink().s.send(messages(23));

    const inputs = calls();
    expect(inputs.map((i) => i.Entries?.length)).toEqual([10, 10, 3]);
    expect(inputs.every((i) => i.QueueUrl === QUEUE_URL)).toBe(true);
    expect(inputs[0]?.Entries?.[4]).toEqual({
      Id: '4',
      MessageBody: '{"n":4}',
      MessageGroupId: 'emp-1',
      MessageDeduplicationId: 'evt-4',
    });
    expect(inputs.flatMap((i) => i.Entries?.map((e) => e.MessageDeduplicationId))).toEqual(
      messages(23).map((m) => m.deduplicationId),
    );
  });

  it('retries only the entries SQS failed on its side, with backoff', async () => {
    let flaky = 2; // {"n":1} fails twice, then goes through
    fakeSqs().on(
      'SendMessageBatch',
      answer((body) =>
        body === '{"n":1}' && flaky-- > 0 ? { SenderFault: false, Code: 'InternalError' } : undefined,
      ),
    );
    const { s, delays } = sink();
    await s.send(messages(3));

    expect(calls().map((i) => i.Entries?.map((e) => e.MessageDeduplicationId))).toEqual([
      ['evt-0', 'evt-1', 'evt-2'],
      ['evt-1'],
      ['evt-1'],
    ]);
    expect(delays).toEqual([100, 200]);
  });

  it('does not retry sender faults and reports what still failed', async () => {
    fakeSqs().on(
      'SendMessageBatch',
      answer((body) => {
        if (body === '{"n":0}') return { SenderFault: true, Code: 'InvalidParameterValue' };
        if (body === '{"n":2}') return { SenderFault: false, Code: 'ServiceUnavailable' };
        return undefined;
      }),
    );
    const error = await sink(2)
      .s.send(messages(3))
      .catch((e) => e);

    expect(error).toBeInstanceOf(QueueSendError);
    expect((error as QueueSendError).failed).toEqual([
      { deduplicationId: 'evt-0', reason: 'InvalidParameterValue (sender fault)' },
      { deduplicationId: 'evt-2', reason: 'ServiceUnavailable' },
    ]);
    expect(calls().map((i) => i.Entries?.map((e) => e.MessageDeduplicationId))).toEqual([
      ['evt-0', 'evt-1', 'evt-2'],
      ['evt-2'],
    ]);
  });

  it('stops at a failed call and lists everything not sent', async () => {
    // A call SQS refuses as a whole (not retried by the client): nothing after it is sent.
    fakeSqs().on('SendMessageBatch', answer(), () => {
      throw new SqsFault(403, 'AccessDenied');
    });
    const error = await sink()
      .s.send(messages(25))
      .catch((e) => e);

    expect(error).toBeInstanceOf(QueueSendError);
    expect((error as QueueSendError).failed.map((f) => f.deduplicationId)).toEqual(
      messages(25)
        .slice(10)
        .map((m) => m.deduplicationId),
    );
    expect((error as Error).cause).toMatchObject({ name: 'AccessDenied', statusCode: 403 });
    expect((error as Error).message).toContain('SendMessageBatch failed (AccessDenied)');
    expect(calls()).toHaveLength(2);
  });

  it('refuses a non-FIFO queue URL up front', () => {
    expect(() =>
      createSqsMessageSink({ client: fakeSqs().client, queueUrl: QUEUE_URL.replace('.fifo', '') }),
    ).toThrow(TypeError);
  });
});
