import { randomUUID } from 'node:crypto';
import { isMeetingError } from '../http/errors.js';
import { MAX_BATCH_STATUS, MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { sleep as defaultSleep, systemClock } from '../shared/clock.js';
import { silentLog } from '../shared/log.js';
import type { OffboardingStore, PendingDisable, StagedAction } from '../store/types.js';
import type { LifecycleDeps } from './types.js';

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

/** Thrown when a pending disable is being flushed right now: retry the event shortly. */
export class OffboardingBusyError extends Error {
  override readonly name = 'OffboardingBusyError';
}

const offboardingOf = (deps: LifecycleDeps): OffboardingStore => {
  if (!deps.offboarding) throw new TypeError('offboarding store is not configured');
  return deps.offboarding;
};

// Per store (one tenant) and window: the managed population barely moves within a window.
const managedCache = new WeakMap<object, Map<number, number>>();

/**
 * Mass-offboarding circuit breaker: counts disables/deletes per window; beyond the configured
 * count or share of managed members, the breaker opens and every further action is staged until
 * an operator approves or rejects the stage. Returns the stage id when the action must be staged.
 */
export const checkBreaker = async (
  deps: LifecycleDeps,
  kind: 'disable' | 'delete',
  count: number,
): Promise<string | undefined> => {
  const store = offboardingOf(deps);
  const { settings } = deps;
  const now = (deps.clock ?? systemClock).now();
  const open = await store.getBreaker();
  if (open) return open.stageId;
  const windowMs = settings.breakerWindowMinutes * 60_000;
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const total = await store.countOffboarding(kind, windowStart, count, windowStart + 2 * windowMs);
  let reason: string | undefined;
  if (total > settings.breakerMaxCount) {
    reason = `${total} ${kind}s in ${settings.breakerWindowMinutes} min exceed ${settings.breakerMaxCount}`;
  } else if (total > settings.guardMinCount) {
    const cache = managedCache.get(deps.store) ?? new Map<number, number>();
    managedCache.set(deps.store, cache);
    let managed = cache.get(windowStart);
    if (managed === undefined) {
      managed = await deps.store.countManaged();
      cache.set(windowStart, managed);
    }
    const percent = managed > 0 ? (total * 100) / managed : 100;
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
  (deps.log ?? silentLog).error('offboarding circuit breaker opened: actions are staged until approved', {
    ...state,
  });
  return state.stageId;
};

/** Holds an action back under the open stage. */
export const stageAction = async (deps: LifecycleDeps, action: Omit<StagedAction, 'stagedAt'>) => {
  const stagedAt = (deps.clock ?? systemClock).now();
  await offboardingOf(deps).stageAction({ ...action, stagedAt });
  (deps.log ?? silentLog).warn('offboarding action staged', {
    stageId: action.stageId,
    kind: action.kind,
    employeeId: action.employeeId,
  });
};

export const requestDisable = (deps: LifecycleDeps, pending: PendingDisable) =>
  offboardingOf(deps).addPendingDisable(pending);

/**
 * Before re-enabling someone, make sure no coalesced disable is still waiting for them (it would
 * otherwise disable the rehired member after the fact). Taken under the flush lease, so a flush
 * in progress finishes first.
 */
export const cancelPendingDisable = async (deps: LifecycleDeps, employeeId: string) => {
  if (!deps.offboarding) return;
  const holder = `cancel-${randomUUID()}`;
  if (!(await acquireWithin(deps.offboarding, FLUSH_LEASE, holder, CANCEL_WAIT_MS))) {
    throw new OffboardingBusyError(`a batch disable is in progress; retry the event for ${employeeId}`);
  }
  try {
    await deps.offboarding.removePendingDisable(employeeId);
  } finally {
    await deps.offboarding.releaseLease(FLUSH_LEASE, holder);
  }
};

const disableChunk = async (deps: LifecycleDeps, chunk: PendingDisable[], call: CallOptions) => {
  const store = offboardingOf(deps);
  try {
    await deps.meeting.setMembersStatus(
      chunk.map((p) => p.account),
      MEMBER_STATUS.disabled,
      call,
    );
    for (const p of chunk) await store.removePendingDisable(p.employeeId);
    return { calls: 1, done: chunk.length };
  } catch (error) {
    // One unknown account fails the whole batch: retry one by one so the rest still go through.
    if (!isMeetingError(error, 'notFound') || chunk.length === 1) {
      if (isMeetingError(error, 'notFound')) {
        await store.removePendingDisable(chunk[0]!.employeeId); // gone already: nothing left to disable
        return { calls: 1, done: 1 };
      }
      throw error;
    }
    let calls = 1;
    let done = 0;
    for (const p of chunk) {
      const result = await disableChunk(deps, [p], call);
      calls += result.calls;
      done += result.done;
    }
    return { calls, done };
  }
};

export interface FlushOptions {
  readonly signal?: AbortSignal;
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
export const flushPendingDisables = async (deps: LifecycleDeps, options: FlushOptions = {}) => {
  const store = deps.offboarding;
  if (!store) return { flushed: 0, calls: 0, incomplete: false };
  const pause = options.sleep ?? defaultSleep;
  // Wall time, not deps.clock: lingering is a real wait for other workers' terminations.
  const started = performance.now();
  const held = () => performance.now() - started;
  const maxHoldMs = options.maxHoldMs ?? 10_000;
  const holder = `flush-${randomUUID()}`;
  // The batch call's X-Request-Id; logged with the event ids it carries, for tracing.
  const call: CallOptions = {
    accountType: deps.accountType,
    requestId: holder,
    ...(options.signal && { signal: options.signal }),
  };
  let flushed = 0;
  let calls = 0;

  /** Waits while the buffer grows, up to a full batch or the linger time. */
  const fill = async () => {
    const lingerStart = performance.now();
    let last = -1;
    for (;;) {
      const count = (await store.listPendingDisables(MAX_BATCH_STATUS)).length;
      const lingering = performance.now() - lingerStart < deps.settings.disableLingerMs;
      if (count === 0 || count >= MAX_BATCH_STATUS || count === last || !lingering) return count;
      last = count;
      await pause(POLL_MS, options.signal);
    }
  };

  while ((await store.listPendingDisables(1)).length > 0) {
    // Another flusher is lingering: it re-reads the buffer before it lets go, so it sends ours too.
    if (!(await store.acquireLease(FLUSHER_LEASE, holder, LEASE_TTL_MS))) break;
    try {
      while (held() < maxHoldMs && (await fill()) > 0) {
        if (!(await acquireWithin(store, FLUSH_LEASE, holder, CANCEL_WAIT_MS))) continue;
        try {
          const batch = await store.listPendingDisables(MAX_BATCH_STATUS);
          const result = await disableChunk(deps, batch, call);
          (deps.log ?? silentLog).info('batch disable sent', {
            requestId: holder,
            eventIds: batch.map((p) => p.eventId),
          });
          calls += result.calls;
          flushed += result.done;
        } finally {
          await store.releaseLease(FLUSH_LEASE, holder);
        }
      }
    } finally {
      await store.releaseLease(FLUSHER_LEASE, holder);
    }
    if (held() >= maxHoldMs) break;
  }
  if (flushed > 0) (deps.log ?? silentLog).info('pending disables flushed', { flushed, calls });
  // Out of time with disables still waiting: the caller must make sure someone comes back for them.
  const incomplete = held() >= maxHoldMs && (await store.listPendingDisables(1)).length > 0;
  return { flushed, calls, incomplete };
};
