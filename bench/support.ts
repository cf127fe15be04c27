import type { TokenProvider } from '../lib/auth/types.js';
import type { HrEvent } from '../lib/events/schemas.js';
import type { LocalStack } from '../local/stack.js';
import { postSignedWebhook } from '../local/webhook-client.js';

/**
 * The naive baseline: a login (account + password, docs/meeting-api.md §1.1) before every call, as integrations
 * without a token cache do. Written with plain fetch so it shares nothing with our provider.
 */
export const loginPerCallProvider = (endpoint: string, account: string, password: string): TokenProvider => ({
  cacheKey: 'naive',
  getToken: async () => {
    const response = await fetch(`${endpoint}/v1/usg/acs/auth/account`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${account}:${password}`).toString('base64')}`,
        'content-type': 'application/json;charset=UTF-8',
      },
      body: JSON.stringify({ account, clientType: 72 }),
    });
    if (!response.ok) throw new Error(`naive login failed: ${response.status}`);
    return ((await response.json()) as { accessToken: string }).accessToken;
  },
  invalidate: async () => undefined,
});

export const elapsed = async <T>(work: () => Promise<T>): Promise<{ result: T; seconds: number }> => {
  const start = performance.now();
  const result = await work();
  return { result, seconds: (performance.now() - start) / 1000 };
};

/** Runs `count` tasks with at most `concurrency` in flight. */
export const runPool = async (count: number, concurrency: number, task: (i: number) => Promise<unknown>) => {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
};

const DELIVERY_SIZE = 100;

/**
 * Posts `events` to the stack's webhook as signed deliveries of 100 (4 at a time), as an HR
 * system would, and waits until the worker has applied them.
 */
export const sendThrough = async (stack: LocalStack, events: readonly HrEvent[], drainMs = 600_000) => {
  const secret = stack.webhookSecrets.split(' ')[0]!;
  await runPool(Math.ceil(events.length / DELIVERY_SIZE), 4, async (d) => {
    const res = await postSignedWebhook(
      stack.webhookUrl,
      secret,
      events.slice(d * DELIVERY_SIZE, (d + 1) * DELIVERY_SIZE),
    );
    if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
  });
  await stack.drain(drainMs);
};

export { atLeast, atMost, below, exactly, fmt, inSection, type Row, throughput } from './report.js';
