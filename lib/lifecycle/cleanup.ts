import { randomUUID } from 'node:crypto';
import { ifNotFound } from '../http/errors.js';
import type { MemberSummary } from '../meeting/schemas.js';
import { MAX_BATCH_DELETE, MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import type { EmployeeRecord } from '../store/types.js';
import { EMPLOYEE_STATUS, StaleWriteError } from '../store/types.js';
import { checkDeletionGuard, type GuardVerdict } from './deletion-guard.js';
import { CleanupAbortedError } from './errors.js';
import { groupByAccountType, selectorOf } from './member-mapping.js';
import { checkBreaker, stageAction } from './offboarding.js';
import { memberIndex, type ReconcileReport, reconcileMembers } from './reconcile.js';
import type { LifecycleContext, RunOptions } from './types.js';

const DAY_MS = 24 * 3600 * 1000;

/** One cleanup run at a time, fleet-wide (the offboarding store's lease). */
export const CLEANUP_LEASE = 'cleanup-run';
/**
 * Longer than the cleanup function may run (its 300 s timeout; test/deploy checks the template),
 * shorter than the 15-minute schedule: a run killed mid-way never blocks the next scheduled one.
 */
export const CLEANUP_LEASE_TTL_MS = 10 * 60_000;

export interface CleanupReport {
  readonly dryRun: boolean;
  /** Disabled longer than the retention period according to our records. */
  readonly candidates: number;
  readonly wouldDelete: string[];
  readonly deleted: string[];
  /** Records whose member was already gone from Meeting. */
  readonly alreadyGone: string[];
  readonly skipped: { employeeId: string; reason: string }[];
  readonly guard: GuardVerdict;
  /** Set when the deletions were staged for operator approval instead of applied. */
  readonly stageId?: string;
  /** Members found different from the HR state in Meeting, and put back. */
  readonly reconciled?: ReconcileReport;
  /** Set when another run held the lease: this one returned at once and did nothing. */
  readonly overlapped?: true;
  /** The stage the circuit breaker holds open after this run, waiting for an operator. */
  readonly awaitingApproval?: string;
}

interface Selection {
  readonly toDelete: { record: EmployeeRecord; admin: boolean }[];
  readonly alreadyGone: EmployeeRecord[];
  readonly skipped: { employeeId: string; reason: string }[];
}

/** Listing every member, or abort: missing data must never look like people who left. */
const completeListing = async (ctx: LifecycleContext, call: CallOptions) => {
  try {
    return await ctx.meeting.listAllMembers({}, call);
  } catch (error) {
    throw new CleanupAbortedError('member listing failed; cleanup aborted without deleting anything', error);
  }
};

/**
 * Matches candidates against a complete listing: a member missing from it is gone; one listed
 * as enabled is not deleted in this run (it has just been disabled again by the reconciliation).
 */
const selectDeletions = (
  ctx: LifecycleContext,
  candidates: readonly EmployeeRecord[],
  find: (record: EmployeeRecord) => MemberSummary | undefined,
): Selection => {
  const selection: Selection = { toDelete: [], alreadyGone: [], skipped: [] };
  for (const record of candidates) {
    const member = find(record);
    const skip = (reason: string) => selection.skipped.push({ employeeId: record.employeeId, reason });
    if (!member) selection.alreadyGone.push(record);
    else if (member.status !== MEMBER_STATUS.disabled) skip('was enabled in Meeting (disabled again)');
    else if (member.adminType === 0) skip('enterprise default admin');
    else if (member.adminType === 1 && !ctx.settings.deleteAdmins)
      skip('holds an admin role (CLEANUP_DELETE_ADMINS=false)');
    else selection.toDelete.push({ record, admin: member.adminType === 1 });
  }
  return selection;
};

/**
 * A member missing from the listing is gone only if a direct read agrees: a server page may have
 * left it out (docs/meeting-api.md §2.5). Otherwise it waits for the next run.
 */
const confirmGone = async (
  ctx: LifecycleContext,
  selection: Selection,
  call: CallOptions,
): Promise<Selection> => {
  const alreadyGone: EmployeeRecord[] = [];
  const skipped = [...selection.skipped];
  for (const record of selection.alreadyGone) {
    const { account, accountType } = selectorOf(record, ctx.accountType);
    if ((await ctx.meeting.findMember(account, { ...call, accountType })) === undefined)
      alreadyGone.push(record);
    else
      skipped.push({ employeeId: record.employeeId, reason: 'missing from the listing, still in Meeting' });
  }
  return { ...selection, alreadyGone, skipped };
};

/** Batch deletes (≤ 100 per call, all-or-nothing per call), revoking admin roles first. */
const deleteSelected = async (
  ctx: LifecycleContext,
  toDelete: Selection['toDelete'],
  call: CallOptions,
  now: number,
) => {
  const deleted: string[] = [];
  // One accountType per batch call: adopted members are addressed by their Meeting account.
  for (const [accountType, group] of groupByAccountType(
    toDelete,
    (d) => selectorOf(d.record, ctx.accountType).accountType,
  )) {
    const typed = { ...call, accountType };
    for (let i = 0; i < group.length; i += MAX_BATCH_DELETE) {
      const chunk = group.slice(i, i + MAX_BATCH_DELETE);
      const admins = chunk.filter((d) => d.admin).map((d) => d.record.account);
      if (admins.length > 0) await revokeAdmins(ctx, admins, typed);
      await ctx.meeting.deleteMembers(
        chunk.map((d) => d.record.account),
        typed,
      );
      for (const { record } of chunk) {
        await markDeleted(record, ctx, now);
        deleted.push(record.employeeId);
      }
    }
  }
  return deleted;
};

type CleanupOptions = RunOptions;

/**
 * Deletes members disabled for longer than the retention period, only those this system manages
 * (a lifecycle record with the same HR id). A run beyond the mass-deletion guard, or while the
 * offboarding circuit breaker is open, is staged for operator approval instead of applied.
 * Runs never overlap: one that finds another holding the lease returns at once, since two runs
 * would list, reconcile and delete the same members twice.
 */
export const runCleanup = async (
  ctx: LifecycleContext,
  options: CleanupOptions = {},
): Promise<CleanupReport> => {
  const holder = `cleanup-${randomUUID()}`;
  if (!(await ctx.offboarding.acquireLease(CLEANUP_LEASE, holder, CLEANUP_LEASE_TTL_MS))) {
    ctx.log.warn('cleanup skipped: another run holds the lease');
    return { ...nothingDone(), dryRun: ctx.settings.dryRun, overlapped: true };
  }
  try {
    const report = await cleanUp(ctx, options);
    const stage = await ctx.offboarding.getBreaker();
    return stage ? { ...report, awaitingApproval: stage.stageId } : report;
  } finally {
    // A lease left behind only delays the next run until it expires.
    await ctx.offboarding
      .releaseLease(CLEANUP_LEASE, holder)
      .catch((error: unknown) => ctx.log.warn('cleanup lease not released', { error }));
  }
};

const nothingDone = (): Omit<CleanupReport, 'dryRun'> => ({
  candidates: 0,
  wouldDelete: [],
  deleted: [],
  alreadyGone: [],
  skipped: [],
  guard: { allowed: true, wouldDelete: 0, managed: 0, percent: 0 },
});

const cleanUp = async (ctx: LifecycleContext, options: CleanupOptions): Promise<CleanupReport> => {
  const { store, settings } = ctx;
  const log = ctx.log;
  const now = ctx.clock.now();
  const call: CallOptions = { accountType: ctx.accountType, ...options };

  // Every managed member is checked against Meeting; leavers past retention are deletion candidates.
  const managed = await store.listManaged();
  const cutoff = now - settings.retentionDays * DAY_MS;
  const candidates = managed.filter(
    (r) => r.status === EMPLOYEE_STATUS.disabled && (r.disabledAt ?? r.updatedAt) < cutoff,
  );
  const find =
    managed.length > 0 ? memberIndex(await completeListing(ctx, call), ctx.accountType) : () => undefined;
  const reconciled = settings.dryRun ? undefined : await reconcileMembers(ctx, managed, find, call);
  const { toDelete, alreadyGone, skipped } = await confirmGone(
    ctx,
    selectDeletions(ctx, candidates, find),
    call,
  );
  // The managed population is the list just read: no second query to count it.
  const guard = checkDeletionGuard(toDelete.length, managed.length, settings);
  const wouldDelete = toDelete.map((d) => d.record.employeeId);
  const report = {
    ...(reconciled && { reconciled }),
    dryRun: settings.dryRun,
    candidates: candidates.length,
    wouldDelete,
    alreadyGone: alreadyGone.map((r) => r.employeeId),
    skipped,
    guard,
  };
  if (settings.dryRun) {
    log.info('cleanup dry run', { wouldDelete });
    return { ...report, deleted: [] };
  }
  for (const record of alreadyGone) await markDeleted(record, ctx, now);
  if (toDelete.length === 0) return { ...report, deleted: [] };

  const stageId = !guard.allowed
    ? await openBreakerFor(ctx, guard.reason ?? 'mass-deletion guard')
    : await checkBreaker(ctx, 'delete', toDelete.length);
  if (stageId) {
    for (const employeeId of wouldDelete) await stageAction(ctx, { stageId, kind: 'delete', employeeId });
    log.error('cleanup deletions staged for operator approval', {
      stageId,
      wouldDelete: wouldDelete.length,
      reason: guard.reason,
    });
    return { ...report, deleted: [], stageId };
  }
  if (!guard.allowed) {
    log.error('mass-deletion guard refused the cleanup run', { ...guard });
    return { ...report, deleted: [] };
  }
  const deleted = await deleteSelected(ctx, toDelete, call, now);
  log.info('cleanup done', {
    deleted: deleted.length,
    alreadyGone: alreadyGone.length,
    skipped: skipped.length,
  });
  return { ...report, deleted };
};

/** Opens the circuit breaker (or joins the stage already open) for a run the guard refused. */
const openBreakerFor = async (ctx: LifecycleContext, reason: string): Promise<string> => {
  const now = ctx.clock.now();
  const state = await ctx.offboarding.openBreaker({
    stageId: `stage-${new Date(now).toISOString()}`,
    openedAt: now,
    reason,
  });
  return state.stageId;
};

/** Deletes staged members after approval: re-checked against records and a fresh listing, no guard. */
export const deleteApproved = async (
  ctx: LifecycleContext,
  employeeIds: readonly string[],
  options: RunOptions = {},
) => {
  const now = ctx.clock.now();
  const call: CallOptions = { accountType: ctx.accountType, ...options };
  const records = (await Promise.all(employeeIds.map((id) => ctx.store.getEmployee(id)))).filter(
    (r): r is EmployeeRecord => r?.status === EMPLOYEE_STATUS.disabled,
  );
  const { toDelete, alreadyGone } = await confirmGone(
    ctx,
    selectDeletions(ctx, records, memberIndex(await completeListing(ctx, call), ctx.accountType)),
    call,
  );
  for (const record of alreadyGone) await markDeleted(record, ctx, now);
  return deleteSelected(ctx, toDelete, call, now);
};

const revokeAdmins = (ctx: LifecycleContext, accounts: string[], call: CallOptions) =>
  ifNotFound(
    () => ctx.meeting.deleteAdmins(accounts, call),
    () => undefined,
  );

const markDeleted = async (record: EmployeeRecord, ctx: LifecycleContext, now: number) => {
  try {
    await ctx.store.putEmployee(
      {
        ...record,
        status: EMPLOYEE_STATUS.deleted,
        deletedAt: now,
        isAdmin: false,
        updatedAt: now,
        revision: record.revision + 1,
      },
      record.revision,
    );
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // A newer event (e.g. a rehire) landed while we were deleting: the next event recreates the member.
    ctx.log.warn('employee changed during cleanup', { employeeId: record.employeeId });
  }
};
