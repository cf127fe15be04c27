import type { TokenProvider } from '../lib/auth/types.js';

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

export { atLeast, atMost, below, exactly, fmt, type Row } from './report.js';
