import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { type AdaptiveRateLimiter, createAdaptiveRateLimiter } from '../../lib/meeting/rate-limiter.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';
import { fakeClock } from './support.js';

/** Sleeps that cost no real time: they move the fake clock (sequential callers only). */
const virtualTime = (start?: number) => {
  const clock = fakeClock(start);
  const delays: number[] = [];
  const sleep = async (ms: number) => {
    delays.push(ms);
    clock.advance(ms);
  };
  return { clock, sleep, delays };
};

/** Sustained throttling: five 429s in a row (a server out of quota refuses everything). */
const congest = (limiter: AdaptiveRateLimiter, retryAfterMs: number) => {
  for (let i = 0; i < 5; i++) limiter.onThrottled('a', retryAfterMs);
};

describe('createAdaptiveRateLimiter', () => {
  it('paces at perMinute', async () => {
    const t = virtualTime();
    const limiter = createAdaptiveRateLimiter({ perMinute: 60, ...t });
    for (let i = 0; i < 4; i++) await limiter.acquire('a');
    expect(t.delays).toEqual([1000, 1000, 1000]);
  });

  it('leaves sporadic 429s to the retry of the refused request: no pause, no slower pace', async () => {
    const t = virtualTime();
    const limiter = createAdaptiveRateLimiter({ perMinute: 600, ...t });
    // One 429 in every 5 answers (20 %, four times the faults of the bench) for 1,000 answers.
    for (let i = 0; i < 1_000; i++) {
      if (i % 5 === 4) limiter.onThrottled('a', 1_000);
      else limiter.onSuccess('a');
    }
    expect(limiter.currentRate('a')).toBe(600);
    await limiter.acquire('a');
    expect(t.delays).toEqual([]);
  });

  it('is unlimited until 429s are sustained (5 of the last 10 answers), then waits out Retry-After and sets a rate', async () => {
    const t = virtualTime();
    const limiter = createAdaptiveRateLimiter(t);
    for (let i = 0; i < 10; i++) {
      await limiter.acquire('a');
      limiter.onSuccess('a');
    }
    expect(t.delays).toEqual([]);
    expect(limiter.currentRate('a')).toBeUndefined();
    for (let i = 0; i < 4; i++) limiter.onThrottled('a', 2000);
    expect(limiter.currentRate('a')).toBeUndefined();
    limiter.onThrottled('a', 2000);
    const rate = limiter.currentRate('a')!;
    expect(rate).toBeGreaterThan(0);
    limiter.onThrottled('a', 2000); // the rest of the same wave: one episode
    expect(limiter.currentRate('a')).toBe(rate);
    await limiter.acquire('a');
    expect(t.delays[0]).toBe(2000);
    await limiter.acquire('b'); // other APIs are not affected
    expect(t.delays).toHaveLength(1);
  });

  it('decreases multiplicatively per episode and increases additively up to perMinute', () => {
    const t = virtualTime();
    const limiter = createAdaptiveRateLimiter({ perMinute: 100, ...t });
    limiter.onSuccess('a');
    expect(limiter.currentRate('a')).toBe(100);
    congest(limiter, 1000);
    expect(limiter.currentRate('a')).toBe(70);
    t.clock.advance(1000);
    congest(limiter, 1000);
    expect(limiter.currentRate('a')).toBeCloseTo(49);
    limiter.onSuccess('a');
    limiter.onSuccess('a');
    expect(limiter.currentRate('a')).toBeCloseTo(49 + 2 * 0.49);
    for (let i = 0; i < 1000; i++) limiter.onSuccess('a');
    expect(limiter.currentRate('a')).toBe(100);
  });

  it('spaces out concurrent waiters instead of releasing them together', async () => {
    const clock = fakeClock();
    const delays: number[] = [];
    const sleep = async (ms: number) => {
      delays.push(ms);
    };
    const limiter = createAdaptiveRateLimiter({ perMinute: 600, clock, sleep });
    await Promise.all(Array.from({ length: 4 }, () => limiter.acquire('a')));
    expect(delays).toEqual([100, 200, 300]);
  });
});

describe('adaptive rate limiting against the simulator’s fixed-window limit', () => {
  // One virtual clock for the simulator and the client: windows, Retry-After and pacing all
  // run on it, so the test is deterministic and takes no real waiting time.
  const t = virtualTime(Date.UTC(2025, 0, 1));
  const handle = useSimulator({ clock: t.clock, rateLimitPerMinute: 5, rateLimitWindowMs: 60_000 });

  it('uses the quota of each window with at most two 429s per window, never failing a call', async () => {
    const start = t.clock.now();
    const meeting = connectMeeting({ config: simulatorConfig(handle.sim, 'account'), ...t });
    for (let i = 0; i < 20; i++) await meeting.getDepartment('1');
    const windows = Math.floor((t.clock.now() - start) / 60_000) + 1;
    const { faults, calls } = handle.sim.counters();
    const refused = faults.rateLimited ?? 0;
    // 20 calls at 5 per window need 4 windows; we may finish early in the 4th, never later.
    expect(windows).toBeLessThanOrEqual(4);
    expect(refused).toBeGreaterThan(0);
    // The first 429 of a call is retried promptly (it may be sporadic), the second waits out
    // Retry-After, which is the window's end.
    expect(refused).toBeLessThanOrEqual(2 * windows);
    expect(calls.getDeptAndChildren).toBe(20 + refused);
  });
});
