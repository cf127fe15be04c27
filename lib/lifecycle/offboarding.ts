import { randomUUID } from 'node:crypto';
import { isMeetingError } from '../http/errors.js';
import { MAX_BATCH_STATUS, MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { sleep as defaultSleep, type TimeBudget } from '../shared/clock.js';
import type { BufferedDisable, OffboardingStore, PendingDisable, StagedAction } from '../store/types.js';
import { OffboardingBusyError } from './errors.js';
import { groupByAccountType } from './member-mapping.js';
import type { LifecycleContext } from './types.js';

/**
 * Two leases: the flusher role (one lingering flusher fleet-wide, so a burst coalesces) and a
 * short critical section around each batch call, which a rehire also takes to cancel a pending
 * disable, so a disable can never land after a rehire's enable.
 */
export const FLUSHER_LEASE = 'disable-flusher';
export const FLUSH_LEASE = 'disable-flush';
const LEASE_TTL_MS = 30_000;
const POLL_MS = 100;
/** How long a rehire waits for one batch call in progress to finish. */
const CANCEL_WAIT_MS = 5_000;

/** Takes a lease, polling up to `waitMs` while someone else holds it. */
const acquireWithin = async (store: OffboardingStore, name: string, holder: string, waitMs: number) => {
  const deadline = performance.now() + waitMs;
  for (;;) {
    if (await store.acquireLease(name, holder, LEASE_TTL_MS)) return true;
    if (performance.now() >= deadline) return false;
    await defaultSleep(25);
  }
};

// Per store (one tenant) and window: the managed population barely moves within a window.
const managedCache = new WeakMap<object, Map<number, number>>();

/**
 * Mass-offboarding circuit breaker: counts disables/deletes per window; beyond the configured
 * count or share of managed members, the breaker opens and every further action is staged until
 * an operator approves or rejects the stage. Returns the stage id when the action must be staged.
 */
export const checkBreaker = async (
  ctx: LifecycleContext,
  kind: 'disable' | 'delete',
  count: number,
): Promise<string | undefined> => {
  const store = ctx.offboarding;
  const { settings } = ctx;
  const now = ctx.clock.now();
  const open = await store.getBreaker();
  if (open) return open.stageId;
  const windowMs = settings.breakerWindowMinutes * 60_000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const total = await store.countOffboarding(kind, windowStart, count, windowStart + 2 * windowMs);
  let reason: string | undefined;
  if (total > settings.breakerMaxCount) {
    reason = `${total} ${kind}s in ${settings.breakerWindowMinutes} min exceed ${settings.breakerMaxCount}`;
  } else if (total > settings.guardMinCount) {
    const cache = managedCache.get(ctx.store) ?? new Map<number, number>();
    managedCache.set(ctx.store, cache);
    let managed = cache.get(windowStart);
    if (managed === undefined) {
      managed = await ctx.store.countManaged();
      cache.set(windowStart, managed);
    }
    // The managed count comes from an index that lags writes (people move from active to disabled
    // during a burst), so the share can read above 100%: it is a share, capped there.
    const percent = managed > 0 ? Math.min(100, (total * 100) / managed) : 100;
    if (percent > settings.breakerMaxPercent) {
      reason = `${total} ${kind}s are ${percent.toFixed(1)}% of ${managed} managed members (limit ${settings.breakerMaxPercent}%)`;
    }
  }
  if (!reason) return undefined;
  const state = await store.openBreaker({
    stageId: `stage-${new Date(now).toISOString()}`,
    openedAt: now,
    reason,
  });
  ctx.log.error('offboarding circuit breaker opened: actions are staged until approved', {
    ...state,
  });
  return state.stageId;
};

/** Holds an action back under the open stage. */
export const stageAction = async (ctx: LifecycleContext, action: Omit<StagedAction, 'stagedAt'>) => {
  const stagedAt = ctx.clock.now();
  await ctx.offboarding.stageAction({ ...action, stagedAt });
  ctx.log.warn('offboarding action staged', {
    stageId: action.stageId,
    kind: action.kind,
    employeeId: action.employeeId,
  });
};

export const requestDisable = (ctx: LifecycleContext, pending: PendingDisable) =>
  ctx.offboarding.addPendingDisable(pending);

/**
 * Before re-enabling someone, make sure no coalesced disable is still waiting for them (it would
 * otherwise disable the rehired member after the fact). Taken under the flush lease, so a flush
 * in progress finishes first.
 */
export const cancelPendingDisable = async (ctx: LifecycleContext, employeeId: string) => {
  const holder = `cancel-${randomUUID()}`;
  if (!(await acquireWithin(ctx.offboarding, FLUSH_LEASE, holder, CANCEL_WAIT_MS))) {
    throw new OffboardingBusyError(`a batch disable is in progress; retry the event for ${employeeId}`);
  }
  try {
    await ctx.offboarding.removePendingDisable(employeeId);
  } finally {
    await ctx.offboarding.releaseLease(FLUSH_LEASE, holder);
  }
};

const disableChunk = async (ctx: LifecycleContext, chunk: BufferedDisable[], call: CallOptions) => {
  const store = ctx.offboarding;
  try {
    await ctx.meeting.setMembersStatus(
      [...new Set(chunk.map((p) => p.account))],
      MEMBER_STATUS.disabled,
      call,
    );
    await store.removePendingDisables(chunk);
    return { calls: 1, done: chunk.length };
  } catch (error) {
    // One unknown account fails the whole batch: retry one by one so the rest still go through.
    if (!isMeetingError(error, 'notFound') || chunk.length === 1) {
      if (isMeetingError(error, 'notFound')) {
        await store.removePendingDisables(chunk); // gone already: nothing left to disable
        return { calls: 1, done: 1 };
      }
      throw error;
    }
    let calls = 1;
    let done = 0;
    for (const p of chunk) {
      const result = await disableChunk(ctx, [p], call);
      calls += result.calls;
      done += result.done;
    }
    return { calls, done };
  }
};

export interface FlushOptions {
  readonly signal?: AbortSignal;
  /** What is left of the invocation: the batch calls start only when they fit. */
  readonly budget?: TimeBudget;
  /** How long this call may keep flushing while a burst goes on (tie it to the remaining time). */
  readonly maxHoldMs?: number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Sends pending disables as batch status calls (≤ 100 accounts each). One flusher at a time holds
 * the lease; it waits while the buffer is still growing (a burst: other workers keep adding) up
 * to the linger time or a full batch, so a mass offboarding costs about one call per hundred
 * people, while a lone termination waits only one poll (~100 ms). Callers that find the lease
 * taken return at once: the holder re-reads the buffer before it lets go, so nothing is left behind.
 */
export const flushPendingDisables = async (ctx: LifecycleContext, options: FlushOptions = {}) => {
  const store = ctx.offboarding;
  const pause = options.sleep ?? defaultSleep;
  // Wall time, not ctx.clock: lingering is a real wait for other workers' terminations.
  const started = performance.now();
  const held = () => performance.now() - started;
  const maxHoldMs = options.maxHoldMs ?? 10_000;
  const holder = `flush-${randomUUID()}`;
  // The batch call's X-Request-Id; logged with the event ids it carries, for tracing.
  const call: CallOptions = {
    accountType: ctx.accountType,
    requestId: holder,
    ...(options.signal && { signal: options.signal }),
    ...(options.budget && { budget: options.budget }),
  };
  let flushed = 0;
  let calls = 0;

  /**
   * Waits while the buffer grows, up to a full batch or the linger time, and returns the oldest
   * pending disables (≤ one batch). Each poll reads only entries after the last one seen.
   */
  const fill = async () => {
    const lingerStart = performance.now();
    const seen: BufferedDisable[] = [];
    for (let first = true; ; first = false) {
      const fresh = await store.peekPendingDisables(MAX_BATCH_STATUS - seen.length, seen.at(-1)?.position);
      seen.push(...fresh);
      const lingering = performance.now() - lingerStart < ctx.settings.disableLingerMs;
      const growing = first || fresh.length > 0;
      if (seen.length === 0 || seen.length >= MAX_BATCH_STATUS || !growing || !lingering) return seen;
      await pause(POLL_MS, options.signal);
    }
  };
  const anyPending = async () => (await store.peekPendingDisables(1)).length > 0;

  while (await anyPending()) {
    // Another flusher is lingering: it re-reads the buffer before it lets go, so it sends ours too.
    if (!(await store.acquireLease(FLUSHER_LEASE, holder, LEASE_TTL_MS))) break;
    try {
      while (held() < maxHoldMs) {
        const candidates = await fill();
        if (candidates.length === 0) break;
        if (!(await acquireWithin(store, FLUSH_LEASE, holder, CANCEL_WAIT_MS))) continue;
        try {
          // Under the flush lease: a rehire cancelled since the read is not sent.
          const batch = await store.claimPendingDisables(candidates);
          if (batch.length === 0) continue;
          // One accountType per batch call: adopted members are addressed by their Meeting account.
          for (const [accountType, part] of groupByAccountType(
            batch,
            (p) => p.accountType ?? ctx.accountType,
          )) {
            const result = await disableChunk(ctx, part, { ...call, accountType });
            ctx.log.info('batch disable sent', {
              requestId: holder,
              eventIds: part.map((p) => p.eventId),
            });
            calls += result.calls;
            flushed += result.done;
          }
        } finally {
          await store.releaseLease(FLUSH_LEASE, holder);
        }
      }
    } finally {
      await store.releaseLease(FLUSHER_LEASE, holder);
    }
    if (held() >= maxHoldMs) break;
  }
  if (flushed > 0) ctx.log.info('pending disables flushed', { flushed, calls });
  // Out of time with disables still waiting: the caller must make sure someone comes back for them.
  const incomplete = held() >= maxHoldMs && (await anyPending());
  return { flushed, calls, incomplete };
};
