import type { TokenResponse } from './token-response.js';
import type { CachedToken } from './types.js';

/** Used only when a token object carries no validity at all: reuse briefly, not forever. */
export const FALLBACK_LIFETIME_SECONDS = 600;

/**
 * Token lifetime in seconds (docs/meeting-api.md §1.3): validPeriod, else expireTime (s) minus
 * createTime (ms!) / 1000. Mixing those units is the classic bug (docs/meeting-api.md §1.6).
 */
export const tokenLifetimeSeconds = (token: TokenResponse): number => {
  if (typeof token.validPeriod === 'number' && token.validPeriod > 0) return token.validPeriod;
  if (typeof token.expireTime === 'number' && typeof token.createTime === 'number') {
    const lifetime = token.expireTime - token.createTime / 1000;
    if (lifetime > 0) return lifetime;
  }
  return FALLBACK_LIFETIME_SECONDS;
};

/**
 * Expiry measured from our own receive time, so a server clock offset cannot make us reuse
 * an expired token or discard a fresh one.
 */
export const toCachedToken = (token: TokenResponse, receivedAt: number): CachedToken => ({
  accessToken: token.accessToken,
  issuedAt: receivedAt,
  expiresAt: receivedAt + Math.floor(tokenLifetimeSeconds(token) * 1000),
});

/**
 * Whether a cached token may still be used at `now`: until expiresAt − skew. The skew is
 * capped at half the lifetime so a short-lived token is still reused (no login per call).
 */
export const isTokenUsable = (
  token: CachedToken | undefined,
  now: number,
  skewMs: number,
): token is CachedToken => {
  if (!token) return false;
  const lifetime = token.expiresAt - token.issuedAt;
  const skew = Math.min(skewMs, Math.max(0, lifetime) / 2);
  return now < token.expiresAt - skew;
};
