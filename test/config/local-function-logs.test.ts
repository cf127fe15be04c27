import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { observabilityFor } from '../../functions/shared/observability.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { postSignedWebhook } from '../../local/webhook-client.js';
import { captureOutput, type OutputCapture } from '../helpers/log-capture.js';

// The functions' loggers read their level when their modules load: hoisted above the imports.
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'INFO');
});

const events = createHrEventFactory({ idPrefix: 'logs' });
let stack: LocalStack;
let output: OutputCapture;
beforeAll(async () => {
  stack = await startLocalStack({ env: { DISABLE_LINGER_MS: '0' } });
});
afterAll(async () => {
  output?.stop();
  await stack.stop();
  vi.unstubAllEnvs();
});

describe('the local stack runs every function in one process', () => {
  it('each log line names the function that wrote it, with its correlation id', async () => {
    output = captureOutput();
    try {
      const hire = events(EVENT_TYPES.hired, 'L1', sampleMember('L1', 1));
      const wrongSecret = 'whsec_bm90LXRoZS1zZWNyZXQtb2YtdGhpcy1zdGFjaw==';
      expect((await postSignedWebhook(stack.webhookUrl, stack.webhookSecrets, hire)).status).toBe(202);
      expect((await postSignedWebhook(stack.webhookUrl, wrongSecret, hire)).status).toBe(401);
      await stack.drain();
      await stack.runCleanup();
    } finally {
      output.stop();
    }
    const lines = output.jsonLines();
    expect(lines.filter((line) => typeof line.function !== 'string')).toEqual([]);
    const of = (name: string) => lines.filter((line) => line.function === name);
    const webhook = of('hr-webhook');
    expect(webhook.map((line) => line.message)).toEqual(
      expect.arrayContaining(['webhook accepted', 'webhook rejected']),
    );
    expect(webhook.filter((line) => !line.correlation_id)).toEqual([]);
    expect(of('lifecycle-worker').length).toBeGreaterThan(0);
  });

  it('an invocation that recorded no metric logs no "No application metrics to publish" warning', () => {
    const { metrics, logger } = observabilityFor('quiet-function');
    const capture = captureOutput();
    try {
      metrics.publishStoredMetrics();
      logger.warn('a real warning');
    } finally {
      capture.stop();
    }
    expect(capture.jsonLines().map((line) => line.message)).toEqual(['a real warning']);
  });

  it('each function has its own logger (no shared Lambda context between them)', () => {
    const webhook = observabilityFor('hr-webhook').logger;
    const worker = observabilityFor('lifecycle-worker').logger;
    expect(webhook).not.toBe(worker);
    expect(webhook.getPersistentLogAttributes()).toEqual({ function: 'hr-webhook' });
    expect(worker.getPersistentLogAttributes()).toEqual({ function: 'lifecycle-worker' });
  });
});
