import { createHash } from 'node:crypto';
import { processPartialResponse, SqsFifoPartialProcessorAsync } from '@aws-lambda-powertools/batch';
import { SqsSchema } from '@aws-lambda-powertools/parser/schemas/sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalFifoQueue } from '../../local/local-fifo-queue.js';
import {
  createSqsEventSource,
  type SqsEventSource,
  type SqsLambdaHandler,
} from '../../local/sqs-event-source.js';

const VISIBILITY = 1_000;
const fakeClock = () => {
  const clock = { t: 1_000_000, now: () => clock.t };
  return clock;
};
const msg = (groupId: string, n: number) => ({
  body: `${groupId}:${n}`,
  groupId,
  deduplicationId: `${groupId}-${n}`,
});

let source: SqsEventSource | undefined;
afterEach(() => source?.stop());

const setup = (
  handler: SqsLambdaHandler,
  options: { concurrency?: number; batchSize?: number; beforeInvoke?: () => void } = {},
) => {
  const clock = fakeClock();
  const dlq = createLocalFifoQueue({ name: 'events-dlq.fifo', clock });
  const queue = createLocalFifoQueue({
    name: 'events.fifo',
    clock,
    visibilityTimeoutMs: VISIBILITY,
    maxReceiveCount: 3,
    dlq,
  });
  source = createSqsEventSource({ queue, handler, pollIntervalMs: 2, timeoutMs: VISIBILITY, ...options });
  return { clock, queue, dlq, source };
};
const waitFor = (check: () => void) => vi.waitFor(check, { timeout: 3_000, interval: 5 });

describe('createSqsEventSource', () => {
  it('invokes with real-shaped SQS events of up to 10 records and deletes them on success', async () => {
    const events: SQSEvent[] = [];
    const { queue, source } = setup(async (event, context) => {
      expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
      events.push(event);
    });
    await queue.send(Array.from({ length: 12 }, (_, i) => msg(`g${i}`, 0)));
    source.start();
    await source.drain({ timeoutMs: 3_000 });

    expect(events.map((e) => e.Records.length)).toEqual([10, 2]);
    const record = events[0]!.Records[0]!;
    expect(SqsSchema.parse(events[0])).toBeTruthy();
    expect(record).toMatchObject({
      body: 'g0:0',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:events.fifo',
      awsRegion: 'us-east-1',
      messageAttributes: {},
      md5OfBody: createHash('md5').update('g0:0').digest('hex'),
      attributes: { ApproximateReceiveCount: '1', MessageGroupId: 'g0', MessageDeduplicationId: 'g0-0' },
    });
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(record.attributes.SequenceNumber).toMatch(/^\d{20}$/);
    expect(queue.stats()).toMatchObject({ deleted: 12, visible: 0, inFlight: 0 });
  });

  it('keeps every group in order under concurrency', async () => {
    const seen = new Map<string, number[]>();
    let running = 0;
    let maxRunning = 0;
    const { queue, source } = setup(
      async (event) => {
        maxRunning = Math.max(maxRunning, ++running);
        for (const r of event.Records) {
          const [group, n] = r.body.split(':') as [string, string];
          seen.set(group, [...(seen.get(group) ?? []), Number(n)]);
          await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
        }
        running--;
      },
      { concurrency: 4 },
    );
    const groups = ['a', 'b', 'c', 'd', 'e', 'f'];
    // Interleaved sends, as many employees' events arrive.
    for (let n = 0; n < 15; n++) await queue.send(groups.map((g) => msg(g, n)));
    source.start();
    await source.drain({ timeoutMs: 3_000 });

    const inOrder = Array.from({ length: 15 }, (_, n) => n);
    for (const g of groups) expect(seen.get(g)).toEqual(inOrder);
    expect(maxRunning).toBeGreaterThan(1);
  });

  it('deletes all but the reported failures, which come back after the visibility timeout', async () => {
    const attempts: string[] = [];
    const { clock, queue, source } = setup(async (event): Promise<SQSBatchResponse> => {
      attempts.push(...event.Records.map((r) => `${r.body}#${r.attributes.ApproximateReceiveCount}`));
      const bad = event.Records.filter(
        (r) => r.body === 'b:0' && r.attributes.ApproximateReceiveCount === '1',
      );
      return { batchItemFailures: bad.map((r) => ({ itemIdentifier: r.messageId })) };
    });
    await queue.send([msg('a', 0), msg('b', 0), msg('c', 0)]);
    source.start();
    await waitFor(() => expect(queue.stats()).toMatchObject({ deleted: 2, inFlight: 1 }));

    clock.t += VISIBILITY;
    await source.drain({ timeoutMs: 3_000 });
    expect(attempts).toEqual(['a:0#1', 'b:0#1', 'c:0#1', 'b:0#2']);
  });

  it('works with Powertools FIFO partial processing: a failed record holds back the rest of its group', async () => {
    const applied: string[] = [];
    let failOnce = true;
    const processor = new SqsFifoPartialProcessorAsync();
    const { clock, queue, source } = setup((event, context) =>
      processPartialResponse(
        event,
        async (record: { body: string }) => {
          if (record.body === 'a:0' && failOnce) {
            failOnce = false;
            throw new Error('transient');
          }
          applied.push(record.body);
        },
        processor,
        { context, skipGroupOnError: true },
      ),
    );
    await queue.send([msg('a', 0), msg('b', 0), msg('a', 1), msg('b', 1)]);
    source.start();
    await waitFor(() => expect(queue.stats()).toMatchObject({ deleted: 2, inFlight: 2 }));
    expect(applied).toEqual(['b:0', 'b:1']);

    clock.t += VISIBILITY;
    await source.drain({ timeoutMs: 3_000 });
    expect(applied).toEqual(['b:0', 'b:1', 'a:0', 'a:1']);
  });

  it.each([
    ['an unknown', 'not-in-this-batch'],
    ['an empty', ''],
  ])('fails the whole batch when a response names %s item', async (_, itemIdentifier) => {
    let calls = 0;
    const { clock, queue, source } = setup(async () =>
      ++calls === 1 ? { batchItemFailures: [{ itemIdentifier }] } : undefined,
    );
    await queue.send([msg('a', 0), msg('b', 0)]);
    source.start();
    await waitFor(() => expect(calls).toBe(1));
    expect(queue.stats()).toMatchObject({ deleted: 0, inFlight: 2 });

    clock.t += VISIBILITY;
    await source.drain({ timeoutMs: 3_000 });
    expect(queue.stats().deleted).toBe(2);
  });

  it('retries a batch whose handler throws, and dead-letters it with the reason after maxReceiveCount', async () => {
    const { clock, queue, dlq, source } = setup(
      async (event) => {
        if (event.Records.some((r) => r.body === 'a:0')) throw new Error('Meeting API unavailable');
        return { batchItemFailures: [] };
      },
      { batchSize: 1 },
    );
    await queue.send([msg('a', 0), msg('a', 1)]);
    source.start();
    for (let receive = 1; receive <= 3; receive++) {
      await waitFor(() => expect(queue.stats().inFlight).toBeGreaterThan(0));
      clock.t += VISIBILITY;
    }
    await source.drain({ timeoutMs: 3_000 });

    expect(dlq.messages()).toMatchObject([
      { body: 'a:0', attributes: { reason: 'Error: Meeting API unavailable' } },
    ]);
    expect(queue.stats()).toMatchObject({ movedToDlq: 1, deleted: 1 }); // a:1 flowed once a:0 left
  });

  it('leaves a batch unacknowledged when the worker is killed before the handler runs', async () => {
    let kills = 1;
    const handled: string[] = [];
    const { clock, queue, source } = setup(
      async (event) => {
        handled.push(...event.Records.map((r) => r.body));
      },
      {
        beforeInvoke: () => {
          if (kills-- > 0) throw new Error('chaos: worker killed');
        },
      },
    );
    await queue.send([msg('a', 0)]);
    source.start();
    await waitFor(() => expect(queue.stats().inFlight).toBe(1));
    expect(handled).toEqual([]);

    clock.t += VISIBILITY;
    await source.drain({ timeoutMs: 3_000 });
    expect(handled).toEqual(['a:0']);
  });

  it('rejects drain when messages cannot be consumed in time', async () => {
    const { queue, source } = setup(async () => {
      throw new Error('always');
    });
    await queue.send([msg('a', 0)]);
    source.start();
    await expect(source.drain({ timeoutMs: 100 })).rejects.toThrow(/not drained/);
  });
});
