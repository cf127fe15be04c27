import { randomUUID } from 'node:crypto';
import type { ApiDialect, MeetingCredentials } from '../config/index.js';
import { ERROR_KIND, MeetingError } from '../http/errors.js';
import { createTransport, type FetchFn, newRequestId } from '../http/transport.js';
import { type Clock, sleep as defaultSleep, type Log, silentLog, systemClock } from '../shared/index.js';
import { tokenCacheKey } from './cache-key.js';
import { login } from './login.js';
import { buildLoginRequest } from './login-request.js';
import { createMemoryTokenCache } from './memory-token-cache.js';
import { isTokenUsable } from './token-expiry.js';
import type { CachedToken, TokenCache, TokenProvider } from './types.js';

export interface TokenProviderOptions {
  readonly endpoint: string;
  readonly credentials: MeetingCredentials;
  /**
   * The credentials as they are now, read before each login, so a rotated password or app key
   * is used on the next login without a restart (default: `credentials`). Must name the same
   * identity: the cache key never includes the secret, so a valid token outlives a rotation.
   */
  readonly currentCredentials?: () => Promise<MeetingCredentials>;
  readonly dialect: ApiDialect;
  /** Shared cache (DynamoDB for a fleet); default: in-memory for this process. */
  readonly cache?: TokenCache;
  readonly fetch?: FetchFn;
  readonly clock?: Clock;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Renew this long before expiry (default 300 s). */
  readonly skewSeconds?: number;
  /** Timeout of one login request (default 10 s). */
  readonly timeoutMs?: number;
  readonly logger?: Log;
  /** How long a fleet-wide login lease lasts (default timeoutMs + 5 s). */
  readonly leaseTtlMs?: number;
  /** Lease owner id (default: a random UUID per provider). */
  readonly holderId?: string;
}

const DEFAULT_SKEW_SECONDS = 300;
const DEFAULT_TIMEOUT_MS = 10_000;
/** Lease rounds before giving up on a login another holder never finished. */
const MAX_LEASE_ROUNDS = 3;
const POLL_START_MS = 25;
const POLL_MAX_MS = 500;

/**
 * In-process single flight: one login promise per cache (the same cache object may back
 * several providers) and key.
 */
const flightsByCache = new WeakMap<TokenCache, Map<string, Promise<CachedToken>>>();

const flightsOf = (cache: TokenCache): Map<string, Promise<CachedToken>> => {
  let flights = flightsByCache.get(cache);
  if (!flights) {
    flights = new Map();
    flightsByCache.set(cache, flights);
  }
  return flights;
};

/** Lets one waiter give up (its signal) without cancelling the shared login. */
const raceSignal = <T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
};

/**
 * A token source that logs in only when no usable token is cached: expiry comes from the
 * token object (measured on our clock), renewal happens `skewSeconds` early, concurrent
 * callers share one login per key in-process, and processes sharing a cache take a lease
 * so a cold fleet logs in once. A failed login is never cached.
 */
export const createTokenProvider = (options: TokenProviderOptions): TokenProvider => {
  const endpoint = options.endpoint.replace(/\/+$/, '');
  const { credentials, dialect } = options;
  // Fail fast on an impossible combination (legacy has no App ID login) before any call.
  buildLoginRequest(credentials, dialect, 0);
  const cache = options.cache ?? createMemoryTokenCache();
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? defaultSleep;
  const logger = options.logger ?? silentLog;
  const skewMs = (options.skewSeconds ?? DEFAULT_SKEW_SECONDS) * 1000;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const leaseTtlMs = options.leaseTtlMs ?? timeoutMs + 5_000;
  const holderId = options.holderId ?? randomUUID();
  const cacheKey = tokenCacheKey({ endpoint, credentials, dialect });
  const transport = createTransport({ timeoutMs, fetch: options.fetch, clock, logger });
  const flights = flightsOf(cache);
  // Warm-invocation memo so a shared (remote) cache is not read on every call.
  let local: CachedToken | undefined;

  const usable = (token: CachedToken | undefined): token is CachedToken =>
    isTokenUsable(token, clock.now(), skewMs);

  /** Polls for a token another holder is fetching; total wait bounded by the lease TTL. */
  const awaitOtherHolder = async (): Promise<CachedToken | undefined> => {
    let waited = 0;
    let delay = POLL_START_MS;
    while (waited < leaseTtlMs) {
      const step = Math.min(delay, leaseTtlMs - waited);
      await sleep(step);
      waited += step;
      const cached = await cache.get(cacheKey);
      if (usable(cached)) return cached;
      delay = Math.min(delay * 2, POLL_MAX_MS);
    }
    return undefined;
  };

  const credentialsNow = async (): Promise<MeetingCredentials> => {
    const current = options.currentCredentials ? await options.currentCredentials() : credentials;
    if (tokenCacheKey({ endpoint, credentials: current, dialect }) !== cacheKey) {
      // Only the secret may change: another identity would store its token under our key.
      throw new TypeError('token provider: current credentials name another identity');
    }
    return current;
  };

  const loginAndStore = async (requestId: string): Promise<CachedToken> => {
    const current = await credentialsNow();
    const token = await login({ endpoint, credentials: current, dialect, transport, clock }, { requestId });
    try {
      await cache.set(cacheKey, token);
    } catch (error) {
      // The token is good; failing to share it only costs other processes a login.
      logger.warn('meeting token cache write failed', { error: (error as Error)?.name });
    }
    logger.debug('meeting token obtained', { requestId, validForMs: token.expiresAt - token.issuedAt });
    return token;
  };

  const obtain = async (requestId: string): Promise<CachedToken> => {
    for (let round = 0; round < MAX_LEASE_ROUNDS; round++) {
      const cached = await cache.get(cacheKey);
      if (usable(cached)) return cached;
      if (await cache.acquireLease(cacheKey, holderId, leaseTtlMs)) {
        try {
          // Another holder may have stored a token between our read and our lease.
          const again = await cache.get(cacheKey);
          if (usable(again)) return again;
          return await loginAndStore(requestId);
        } finally {
          await cache.releaseLease(cacheKey, holderId).catch(() => {});
        }
      }
      const fromOther = await awaitOtherHolder();
      if (fromOther) return fromOther;
    }
    throw new MeetingError('timed out waiting for another process to log in to Meeting', {
      kind: ERROR_KIND.retryable,
      api: buildLoginRequest(credentials, dialect, 0).api,
      requestId,
    });
  };

  return {
    cacheKey,
    getToken: async (callOptions) => {
      // A caller that already gave up must not start a login.
      callOptions?.signal?.throwIfAborted();
      if (usable(local)) return local.accessToken;
      let flight = flights.get(cacheKey);
      if (!flight) {
        const started = obtain(callOptions?.requestId ?? newRequestId());
        flight = started.finally(() => {
          if (flights.get(cacheKey) === flight) flights.delete(cacheKey);
        });
        flights.set(cacheKey, flight);
      }
      const token = await raceSignal(flight, callOptions?.signal);
      local = token;
      return token.accessToken;
    },
    invalidate: async (accessToken) => {
      if (local?.accessToken === accessToken) local = undefined;
      await cache.invalidate(cacheKey, accessToken);
    },
  };
};
