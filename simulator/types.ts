/**
 * The simulator contract shared by every engineer (tests, `npm start`, the bench).
 * Keep these shapes stable: they are re-exported unchanged from index.ts.
 */

export interface FaultConfig {
  /** Deterministic PRNG for fault decisions (default 1). */
  seed?: number;
  /** 0..1 share of business calls answered 500/502/503 with an error body. */
  errorRate?: number;
  /** 0..1 share answered 429 with Retry-After. */
  throttleRate?: number;
  /** Retry-After value for injected 429s (default 1). */
  retryAfterSeconds?: number;
  /** Delayed responses (to trigger client timeouts). */
  slowRate?: number;
  slowMs?: number;
  /** Connection destroyed without a response (socket reset). */
  resetRate?: number;
  /** Token revoked right before the call (call answers 401 USG.000000004). */
  revokeRate?: number;
  /** Restrict faults to these logical API names (default: all business APIs). */
  apis?: string[];
}

export interface SimulatorOptions {
  /** Default 0 (any free port). */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 43200 (12 h); validPeriod/expireTime/createTime stay consistent (docs/meeting-api.md §1.3). */
  tokenValidSeconds?: number;
  /** Default 64 per account or per appId+userId; the 65th evicts the oldest. */
  tokenCap?: number;
  /** Epoch ms; default Date.now. Tests inject a fake clock for expiry. */
  clock?: { now(): number };
  faults?: FaultConfig;
  /** Optional per-API fixed-window limit → 429 + Retry-After (seconds to window end, rounded up). */
  rateLimitPerMinute?: number;
  /** Window length for that limit, default 60000. */
  rateLimitWindowMs?: number;
  /** Fixed latency added to every API response (default 0). */
  latencyMs?: number;
  /**
   * Largest page the paged searches serve, whatever `limit` asks (default: the documented 500).
   * E.g. 100: a request for 500 gets 100 items. Real servers may cap silently (unconfirmed).
   */
  pageSizeCap?: number;
  /** What a capped page reports as `limit`: the size served (default) or the size requested. */
  pageLimitEcho?: 'served' | 'requested';
  /**
   * How writes that are already in effect are answered: granting an admin role to an admin,
   * setting a member's status to the status it has, deleting an account that does not exist.
   * 'ok': 200. 'code': refused with HTTP 400 and a code (USG.201040006 / USG.201040020 /
   * USG.201040000; the first two are simulator choices: Huawei documents none). Default: the
   * most likely real behaviour (docs/meeting-api.md §5.2): grant and status 200, a batch delete
   * naming an unknown account refused as a whole with USG.201040000.
   */
  alreadyDone?: 'ok' | 'code';
  /**
   * Called for every API request received (logical API name, time by the simulator's clock),
   * before any fault or rate limit: for measuring what a fleet of clients sends (the bench).
   */
  onRequest?: (api: string, at: number) => void;
}

export interface SimulatorCounters {
  /** Successful token issues (all auth endpoints). */
  auth: number;
  /** All auth requests incl. failures. */
  authAttempts: number;
  /** Per logical API name, every request received (incl. faulted). */
  calls: Record<string, number>;
  /** Sum of calls excluding auth endpoints and /__sim. */
  businessCalls: number;
  /** Injected: error, throttle, slow, reset, revoke, rateLimited. */
  faults: Record<string, number>;
}

export interface MeetingSimulator {
  /** e.g. http://127.0.0.1:41234 (no trailing slash). */
  readonly url: string;
  counters(): SimulatorCounters;
  resetCounters(): void;
  /** Clears members/admins/departments/tokens (keeps demo creds) + counters. */
  reset(): void;
  setFaults(faults: FaultConfig | undefined): void;
  setRateLimit(perMinute: number | undefined): void;
  revokeAllTokens(): void;
  /**
   * Offline: the port stops listening, so every request fails with a refused connection (an
   * outage); online again on the same port. State is kept.
   */
  setOffline(offline: boolean): Promise<void>;
  /** Currently valid tokens across identities. */
  activeTokenCount(): number;
  /** Current state, shaped like docs/meeting-api.md §2.9 user objects. */
  members(): Array<Record<string, unknown>>;
  admins(): Array<Record<string, unknown>>;
  close(): Promise<void>;
}
