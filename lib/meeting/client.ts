import type { MeetingConfig } from '../config/index.js';
import { createTransport, type FetchFn, type RequestEvent } from '../http/transport.js';
import { type Clock, sleep as defaultSleep, type Log, silentLog, systemClock } from '../shared/index.js';
import { adminOperations } from './admins.js';
import { createCaller } from './caller.js';
import type { ClientContext } from './context.js';
import { departmentOperations } from './departments.js';
import { selectDialect } from './dialects/select-dialect.js';
import { ensureMember } from './ensure-member.js';
import { memberOperations } from './members.js';
import { createAdaptiveRateLimiter, type RateLimiter } from './rate-limiter.js';
import type { RetryEvent } from './retry.js';
import { ACCOUNT_TYPE, type AccountType } from './schemas.js';
import type { TokenProvider } from './token-port.js';
import type { MeetingClient } from './types.js';

/** Metrics hooks; called synchronously, keep them cheap. */
export interface MeetingObserver {
  request?(event: RequestEvent): void;
  retry?(event: RetryEvent): void;
}

export interface MeetingClientOptions {
  readonly config: MeetingConfig;
  /** Where access tokens come from (lib/auth's provider: reuse, fleet-wide cache, one login). */
  readonly tokens: TokenProvider;
  readonly fetch?: FetchFn;
  readonly logger?: Log;
  readonly clock?: Clock;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1) source for backoff jitter. */
  readonly random?: () => number;
  /** Default selector type: 1 (thirdAccount) in App ID mode, 0 (Meeting account) otherwise. */
  readonly accountType?: AccountType;
  /** Default: adaptive, ceiling config.rateLimitPerMinute (0 = react to 429 only). */
  readonly rateLimiter?: RateLimiter;
  readonly observer?: MeetingObserver;
}

/**
 * The typed Meeting client: one per process (module scope), reused by warm invocations.
 * Every call is validated, paced, authenticated (token reuse, one re-login on 401), retried
 * on transient failures and parsed.
 */
export const createMeetingClient = (options: MeetingClientOptions): MeetingClient => {
  const { config, observer } = options;
  const endpoint = config.endpoint.replace(/\/+$/, '');
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? defaultSleep;
  const logger = options.logger ?? silentLog;
  const dialect = selectDialect(config.dialect);
  const { tokens } = options;
  const accountType =
    options.accountType ??
    (config.credentials.mode === 'appId' && config.dialect === 'current'
      ? ACCOUNT_TYPE.thirdAccount
      : ACCOUNT_TYPE.meetingAccount);
  const caller = createCaller({
    endpoint,
    maxAttempts: config.maxAttempts,
    attemptTimeoutMs: config.timeoutMs,
    dialect,
    tokens,
    transport: createTransport({
      timeoutMs: config.timeoutMs,
      fetch: options.fetch,
      clock,
      logger,
      onRequest: observer?.request ? (event) => observer.request?.(event) : undefined,
    }),
    rateLimiter:
      options.rateLimiter ??
      createAdaptiveRateLimiter({ perMinute: config.rateLimitPerMinute, clock, sleep }),
    clock,
    sleep,
    random: options.random ?? Math.random,
    logger,
    onRetry: observer?.retry ? (event) => observer.retry?.(event) : undefined,
  });
  const context: ClientContext = { caller, dialect, accountType };
  const members = memberOperations(context);
  const admins = adminOperations(context);
  const departments = departmentOperations(context);

  return {
    ...members,
    ensureMember: (input, callOptions) => ensureMember(context, members, input, callOptions),
    ...admins,
    ...departments,
  };
};
