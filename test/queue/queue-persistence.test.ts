import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalFifoQueue } from '../../local/local-fifo-queue.js';
import { persistQueues, readQueueFile } from '../../local/queue-files.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/** The local queues outlive their process (`.local/queues`, docs/operations.md "The local state"). */

const fakeClock = () => {
  const clock = { t: 1_000_000, now: () => clock.t };
  return clock;
};
const msg = (groupId: string, n: number) => ({
  body: `${groupId}-${n}`,
  groupId,
  deduplicationId: `${groupId}-${n}`,
});

const tempDir = useTempDirs('ml-queues-');

describe('queue snapshots and files', () => {
  it('a restored queue holds the same messages in order, in-flight ones visible again, and keeps deduplicating', async () => {
    const clock = fakeClock();
    const dlq = createLocalFifoQueue({ name: 'dlq.fifo', clock });
    const q = createLocalFifoQueue({
      name: 'q.fifo',
      clock,
      dlq,
      maxReceiveCount: 1,
      visibilityTimeoutMs: 100,
    });
    await q.send([msg('a', 1), msg('a', 2), msg('b', 1)]);
    const [first] = await q.receive({ maxMessages: 1 }); // a-1 in flight
    q.recordFailure(first!.receiptHandle, 'boom');
    clock.t += 101; // a-1 exhausted its receives: to the DLQ with its reason and count
    const [second] = await q.receive({ maxMessages: 1 }); // a-2 in flight when the process "stops"

    const restoredDlq = createLocalFifoQueue({ name: 'dlq.fifo', clock, restore: dlq.snapshot() });
    const restored = createLocalFifoQueue({ name: 'q.fifo', clock, dlq: restoredDlq, restore: q.snapshot() });
    expect(restoredDlq.messages()).toEqual([
      expect.objectContaining({
        body: 'a-1',
        attributes: { sourceQueue: 'q.fifo', reason: 'boom', receiveCount: '1' },
      }),
    ]);
    expect(restored.messages().map((m) => [m.body, m.inFlight, m.receiveCount])).toEqual([
      ['a-2', false, 1],
      ['b-1', false, 0],
    ]);
    expect(restored.messages()[0]!.messageId).toBe(second!.messageId);
    await restored.send([msg('b', 1)]); // still within the deduplication window
    expect(restored.stats()).toMatchObject({ visible: 2, deduplicated: 1 });
    await restored.send([msg('c', 1)]);
    const sequences = restored.messages().map((m) => m.sequenceNumber);
    expect([...sequences].sort()).toEqual(sequences); // new messages after the old ones
  });

  it('saves both queues to files after changes, atomically, and reads them back; a corrupt file is an error', async () => {
    const dir = tempDir();
    const dlq = createLocalFifoQueue({ name: 'dlq.fifo' });
    const q = createLocalFifoQueue({ name: 'q.fifo', dlq });
    const persisted = persistQueues(dir, [q, dlq]);
    const [saved] = persisted.queues;
    await saved!.send([msg('a', 1)]);
    // Saved shortly after the change, without a close.
    for (let waited = 0; readQueueFile(dir, 'q.fifo') === undefined && waited < 10_000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(readQueueFile(dir, 'q.fifo')?.messages.map((m) => m.body)).toEqual(['a-1']);
    expect(readQueueFile(dir, 'dlq.fifo')?.messages).toEqual([]);
    const [received] = await saved!.receive();
    await saved!.delete(received!.receiptHandle);
    persisted.close(); // saves at once
    expect(readQueueFile(dir, 'q.fifo')?.messages).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'q.fifo.json'), 'utf8')).dedup).toHaveLength(1);
    expect(readQueueFile(dir, 'missing.fifo')).toBeUndefined();
    writeFileSync(join(dir, 'bad.fifo.json'), '{"messages":');
    expect(() => readQueueFile(dir, 'bad.fifo')).toThrow(
      /bad\.fifo\.json is not a queue file .*move it away/,
    );
  });
});
