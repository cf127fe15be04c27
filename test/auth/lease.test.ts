import { describe, expect, it } from 'vitest';
import { type CachedToken, createTokenProvider, type TokenCache } from '../../lib/auth/index.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

/**
 * A fleet-wide cache as the DynamoDB one behaves (conditional lease with expiry), shared by
 * several "processes": each process gets its own TokenCache object over the same storage, so
 * the in-process single flight cannot hide a broken lease protocol.
 */
const sharedStorage = () => {
  const tokens = new Map<string, CachedToken>();
  const leases = new Map<string, { holder: string; until: number }>();
  const processCache = (): TokenCache => ({
    get: async (key) => tokens.get(key),
    set: async (key, token) => {
      tokens.set(key, token);
    },
    invalidate: async (key, accessToken) => {
      if (tokens.get(key)?.accessToken === accessToken) tokens.delete(key);
    },
    acquireLease: async (key, holder, ttlMs) => {
      const lease = leases.get(key);
      if (lease && lease.holder !== holder && lease.until > Date.now()) return false;
      leases.set(key, { holder, until: Date.now() + ttlMs });
      return true;
    },
    releaseLease: async (key, holder) => {
      if (leases.get(key)?.holder === holder) leases.delete(key);
    },
  });
  return { processCache, leases };
};

const handle = useSimulator({ latencyMs: 50 });

describe('fleet-wide single flight (TokenCache lease)', () => {
  it('five cold processes with 50 concurrent calls each log in once', async () => {
    const storage = sharedStorage();
    const config = simulatorConfig(handle.sim, 'account');
    const processes = Array.from({ length: 5 }, () =>
      createTokenProvider({ ...config, cache: storage.processCache(), leaseTtlMs: 2_000 }),
    );
    const tokens = await Promise.all(
      processes.flatMap((p) => Array.from({ length: 50 }, () => p.getToken())),
    );
    expect(new Set(tokens).size).toBe(1);
    expect(handle.sim.counters().authAttempts).toBe(1);
    expect(storage.leases.size).toBe(0);
  });

  it('takes over once the lease of a holder that never finished has expired', async () => {
    const storage = sharedStorage();
    const config = simulatorConfig(handle.sim, 'account');
    const tokens = createTokenProvider({ ...config, cache: storage.processCache(), leaseTtlMs: 300 });
    await storage.processCache().acquireLease(tokens.cacheKey, 'crashed-process', 300);
    expect(await tokens.getToken()).toMatch(/.+/);
    expect(handle.sim.counters().auth).toBe(1);
  });
});
