/**
 * What the Meeting client needs from authentication: a valid access token, and a way to drop
 * one the server refused. lib/auth implements it (token reuse, fleet-wide cache); the client
 * never knows how tokens are made.
 */
export interface TokenProvider {
  /** The cache key this provider uses (endpoint + auth mode + identity). */
  readonly cacheKey: string;
  /** A token valid for at least the configured skew; logs in only if none is cached. */
  getToken(options?: { signal?: AbortSignal; requestId?: string }): Promise<string>;
  /** Drops `accessToken` (after a 401) so the next getToken logs in once. */
  invalidate(accessToken: string): Promise<void>;
}
