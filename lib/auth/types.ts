/** A token as kept in a cache: only what reuse needs, never the credentials. */
export interface CachedToken {
  readonly accessToken: string;
  /** Local epoch ms at which the server will stop accepting the token. */
  readonly expiresAt: number;
  /** Local epoch ms at which the token was issued. */
  readonly issuedAt: number;
}

/**
 * Shared token cache. The in-memory default serves one process; the DynamoDB implementation
 * (lib/store) serves a whole fleet. Keys always include every identity dimension
 * (see `tokenCacheKey`).
 */
export interface TokenCache {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): Promise<void>;
  /** Removes the entry only if it still holds `accessToken` (so one 401 wave causes one re-login). */
  invalidate(key: string, accessToken: string): Promise<void>;
  /**
   * Fleet-wide single flight: try to become the one caller that logs in for `key`.
   * Returns true if this holder owns the lease until `ttlMs` from now. Caches without a lease
   * (in-memory) return true: in-process single flight covers them.
   */
  acquireLease(key: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(key: string, holder: string): Promise<void>;
}

/** The port lib/meeting needs; this package implements it (`createTokenProvider`). */
export type { TokenProvider } from '../meeting/token-port.js';
