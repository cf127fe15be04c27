import { describe, expect, it } from 'vitest';
import { QueueSendError } from '../../lib/queue/types.js';
import { createLocalFifoQueue } from '../../local/local-fifo-queue.js';

const fakeClock = () => {
  const clock = { t: 1_000_000, now: () => clock.t };
  return clock;
};
const msg = (groupId: string, n: number | string) => ({
  body: `${groupId}-${n}`,
  groupId,
  deduplicationId: `${groupId}-${n}`,
});
const bodies = (received: { body: string }[]) => received.map((m) => m.body);
/** A queue with a 1 s visibility timeout whose one message has just been received. */
const oneReceived = async () => {
  const clock = fakeClock();
  const q = createLocalFifoQueue({ clock, visibilityTimeoutMs: 1_000 });
  await q.send([msg('a', 1)]);
  const [first] = await q.receive();
  return { clock, q, first: first! };
};

describe('createLocalFifoQueue', () => {
  it('drops a duplicate deduplication id within the window, even after delete', async () => {
    const clock = fakeClock();
    const q = createLocalFifoQueue({ clock, dedupWindowMs: 300_000 });
    await q.send([msg('a', 1), msg('a', 1)]);
    const [first] = await q.receive({ maxMessages: 10 });
    await q.delete(first!.receiptHandle);
    clock.t += 299_999;
    await q.send([msg('a', 1)]);
    expect(q.stats()).toMatchObject({ visible: 0, sent: 1, deduplicated: 2, deleted: 1 });
    clock.t += 1;
    await q.send([msg('a', 1)]);
    expect(q.stats()).toMatchObject({ visible: 1, sent: 2 });
  });

  it('scopes deduplication per message group when asked (high-throughput FIFO)', async () => {
    const same = (groupId: string) => ({ body: groupId, groupId, deduplicationId: 'evt-1' });
    const perQueue = createLocalFifoQueue({ clock: fakeClock() });
    await perQueue.send([same('a'), same('b')]);
    expect(perQueue.stats()).toMatchObject({ sent: 1, deduplicated: 1 });
    const perGroup = createLocalFifoQueue({ clock: fakeClock(), dedupScope: 'messageGroup' });
    await perGroup.send([same('a'), same('b'), same('a')]);
    expect(perGroup.stats()).toMatchObject({ sent: 2, deduplicated: 1 });
  });

  it('delivers a group strictly in order and holds it while one of its messages is in flight', async () => {
    const q = createLocalFifoQueue({ clock: fakeClock() });
    await q.send([msg('a', 1), msg('a', 2), msg('b', 1), msg('a', 3), msg('b', 2)]);

    const [a1] = await q.receive({ maxMessages: 1 });
    expect(a1?.body).toBe('a-1');
    expect(bodies(await q.receive({ maxMessages: 1 }))).toEqual(['b-1']);
    expect(await q.receive({ maxMessages: 10 })).toEqual([]); // both groups busy
    await q.delete(a1!.receiptHandle);
    expect(bodies(await q.receive({ maxMessages: 10 }))).toEqual(['a-2', 'a-3']);
  });

  it('fills one receive from several groups, up to 10, in order within each group', async () => {
    const q = createLocalFifoQueue({ clock: fakeClock() });
    await q.send([msg('a', 1), msg('b', 1), msg('a', 2), msg('c', 1), msg('b', 2)]);
    expect(bodies(await q.receive({ maxMessages: 10 }))).toEqual(['a-1', 'a-2', 'b-1', 'b-2', 'c-1']);

    const big = createLocalFifoQueue({ clock: fakeClock() });
    await big.send(Array.from({ length: 15 }, (_, i) => msg(`g${i}`, 1)));
    const batch = await big.receive({ maxMessages: 10 });
    expect(batch).toHaveLength(10);
    expect(new Set(batch.map((m) => m.sequenceNumber)).size).toBe(10);
    await expect(big.receive({ maxMessages: 11 })).rejects.toThrow(RangeError);
  });

  it('returns an unacknowledged message after the visibility timeout, with a new receipt handle', async () => {
    const { clock, q, first } = await oneReceived();
    clock.t += 999;
    expect(await q.receive()).toEqual([]);
    clock.t += 1;
    const [again] = await q.receive();
    expect(again).toMatchObject({
      messageId: first.messageId,
      receiveCount: 2,
      firstReceivedAt: first.firstReceivedAt,
    });
    expect(await q.delete(first.receiptHandle)).toBe(false); // stale handle: message stays
    expect(await q.changeVisibility(again!.receiptHandle, 0)).toBe(true);
    const [third] = await q.receive();
    expect(third?.receiveCount).toBe(3);
    expect(await q.delete(third!.receiptHandle)).toBe(true);
    expect(q.stats()).toMatchObject({ visible: 0, inFlight: 0, deleted: 1 });
  });

  it('moves a message received maxReceiveCount times to the DLQ with its reason, then lets its group flow', async () => {
    const clock = fakeClock();
    const dlq = createLocalFifoQueue({ name: 'dlq.fifo', clock });
    const q = createLocalFifoQueue({ clock, visibilityTimeoutMs: 100, maxReceiveCount: 2, dlq });
    await q.send([msg('a', 1), msg('a', 2)]);
    for (const reason of ['first failure', 'second failure']) {
      const [m] = await q.receive({ maxMessages: 1 });
      expect(m?.body).toBe('a-1');
      q.recordFailure(m!.receiptHandle, reason);
      clock.t += 100;
    }
    expect(q.stats()).toMatchObject({ movedToDlq: 1, visible: 1 });
    expect(dlq.messages()).toMatchObject([
      {
        body: 'a-1',
        groupId: 'a',
        attributes: { reason: 'second failure', sourceQueue: 'local-queue.fifo' },
      },
    ]);
    expect(bodies(await q.receive({ maxMessages: 10 }))).toEqual(['a-2']);
  });

  it('rejects invalid messages with QueueSendError and keeps the valid ones', async () => {
    const q = createLocalFifoQueue({ clock: fakeClock() });
    const error = await q
      .send([msg('a', 1), { body: 'x', groupId: '', deduplicationId: 'd' }])
      .catch((e) => e);
    expect(error).toBeInstanceOf(QueueSendError);
    expect((error as QueueSendError).failed).toEqual([
      { deduplicationId: 'd', reason: expect.stringContaining('groupId') },
    ]);
    expect(q.stats().visible).toBe(1);
  });

  it('hands messages back with ChangeMessageVisibility: each with its own delay, counted apart from timeouts', async () => {
    const clock = fakeClock();
    const q = createLocalFifoQueue({ clock, visibilityTimeoutMs: 30_000 });
    await q.send([msg('a', 1), msg('b', 1), msg('c', 1)]);
    const [a, b, c] = await q.receive({ maxMessages: 10 });
    expect([a, b, c].map((m) => m!.receiveCount)).toEqual([1, 1, 1]);
    await q.setVisibility([
      { receiptHandle: a!.receiptHandle, delayMs: 0 },
      { receiptHandle: b!.receiptHandle, delayMs: 5_000 },
    ]);
    // a: at once; b: after its 5 s; c: nobody said anything, so after the 30 s timeout.
    expect(bodies(await q.receive({ maxMessages: 10 }))).toEqual(['a-1']);
    clock.t += 5_000;
    expect(await q.receive({ maxMessages: 10 })).toMatchObject([{ body: 'b-1', receiveCount: 2 }]);
    // 30 s on: a (received again at once, then left alone) and c time out.
    clock.t += 25_000;
    const again = await q.receive({ maxMessages: 10 });
    expect(again.map((m) => [m.body, m.receiveCount])).toEqual([
      ['a-1', 3],
      ['c-1', 2],
    ]);
    expect(q.stats()).toMatchObject({ handedBack: 2, visibilityTimeouts: 2 });
  });

  it('ignores a change with a stale receipt handle (the message keeps its timeout), as SQS does', async () => {
    const { clock, q, first } = await oneReceived();
    clock.t += 1_000;
    const [second] = await q.receive();
    await q.setVisibility([{ receiptHandle: first.receiptHandle, delayMs: 60_000 }]);
    clock.t += 1_000;
    expect(await q.receive()).toMatchObject([{ body: 'a-1', receiveCount: 3 }]);
    expect(second!.receiveCount).toBe(2);
  });
});
