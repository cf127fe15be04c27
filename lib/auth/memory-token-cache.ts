import type { CachedToken, TokenCache } from './types.js';

/**
 * The default TokenCache: one process, a Map. Its lease is always granted because the token
 * provider's in-process single flight already serialises logins within a process.
 */
export const createMemoryTokenCache = (): TokenCache => {
  const entries = new Map<string, CachedToken>();
  return {
    get: async (key) => entries.get(key),
    set: async (key, token) => {
      entries.set(key, token);
    },
    invalidate: async (key, accessToken) => {
      if (entries.get(key)?.accessToken === accessToken) entries.delete(key);
    },
    acquireLease: async () => true,
    releaseLease: async () => {},
  };
};
