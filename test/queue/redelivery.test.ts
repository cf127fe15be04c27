import { describe, expect, it } from 'vitest';
import {
  JITTER_FLOOR,
  minimumRetrySpanMs,
  REDELIVERY,
  redeliveryDelayMs,
  scaleRedelivery,
} from '../../lib/queue/redelivery.js';
import { createSqsVisibility } from '../../lib/queue/sqs-visibility.js';
import { FAKE_QUEUE_URL, useFakeSqs } from '../helpers/fake-sqs.js';

describe('redelivery delays', () => {
  it('start at the base, double per receive, stop at the cap, and jitter only downwards to the floor', () => {
    const top = (n: number) => redeliveryDelayMs(n, () => 1 - Number.EPSILON);
    expect([1, 2, 3, 4, 5, 6, 7, 50, 1_000].map(top)).toEqual([
      10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000, 300_000,
    ]);
    expect(redeliveryDelayMs(1, () => 0)).toBe(10_000 * JITTER_FLOOR);
    expect(redeliveryDelayMs(9, () => 0)).toBe(300_000 * JITTER_FLOOR);
  });

  it('tell how long a receive budget lasts at the least: the sum of the smallest delays between receives', () => {
    const policy = { baseMs: 1_000, capMs: 4_000, pauseMs: 0 };
    // Receives 1..4 fail; delays before receives 2..4: 1 s, 2 s, 4 s (at their 80 % floor).
    expect(minimumRetrySpanMs(4, policy)).toBeCloseTo((1_000 + 2_000 + 4_000) * JITTER_FLOOR);
    expect(minimumRetrySpanMs(1, policy)).toBe(0);
  });

  it('shorten every duration alike for drills', () => {
    expect(scaleRedelivery(REDELIVERY, 1 / 100)).toEqual({ baseMs: 100, capMs: 3_000, pauseMs: 300 });
  });
});

describe('createSqsVisibility', () => {
  const QUEUE_URL = FAKE_QUEUE_URL;
  const fakeSqs = useFakeSqs();
  type Change = {
    QueueUrl?: string;
    Entries?: { Id: string; ReceiptHandle: string; VisibilityTimeout: number }[];
  };

  it('sends ChangeMessageVisibilityBatch in tens, delays in whole seconds rounded up, within 0-12 h', async () => {
    fakeSqs().on('ChangeMessageVisibilityBatch', (input) => ({
      Successful: ((input as Change).Entries ?? []).map((e) => ({ Id: e.Id })),
      Failed: [],
    }));
    const delays = [0, 1, 999, 1_000, 1_001, 90_000, 13 * 3600_000, -5, 10, 20, 30, 40];
    await createSqsVisibility({ client: fakeSqs().client, queueUrl: QUEUE_URL }).setVisibility(
      delays.map((delayMs, i) => ({ receiptHandle: `h${i}`, delayMs })),
    );
    const inputs = fakeSqs().inputs('ChangeMessageVisibilityBatch') as Change[];
    expect(inputs.map((i) => i.Entries?.length)).toEqual([10, 2]);
    expect(inputs.every((i) => i.QueueUrl === QUEUE_URL)).toBe(true);
    expect(inputs.flatMap((i) => i.Entries!.map((e) => [e.ReceiptHandle, e.VisibilityTimeout]))).toEqual([
      ['h0', 0],
      ['h1', 1],
      ['h2', 1],
      ['h3', 1],
      ['h4', 2],
      ['h5', 90],
      ['h6', 43_200],
      ['h7', 0],
      ['h8', 1],
      ['h9', 1],
      ['h10', 1],
      ['h11', 1],
    ]);
  });

  it('logs entries SQS refused (by code, never the handle) and resolves: those messages keep their timeout', async () => {
    fakeSqs().on('ChangeMessageVisibilityBatch', () => ({
      Successful: [],
      Failed: [{ Id: '0', Code: 'ReceiptHandleIsInvalid', SenderFault: true }],
    }));
    const lines: string[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (message: string, extra?: Record<string, unknown>) => {
        lines.push(JSON.stringify({ message, extra }));
      },
    };
    await createSqsVisibility({ client: fakeSqs().client, queueUrl: QUEUE_URL, logger }).setVisibility([
      { receiptHandle: 'secret-handle', delayMs: 1_000 },
    ]);
    expect(lines.join('\n')).toContain('ReceiptHandleIsInvalid');
    expect(lines.join('\n')).not.toContain('secret-handle');
  });
});
