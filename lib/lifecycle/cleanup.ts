import { isMeetingError } from '../meeting/errors.js';
import { MAX_BATCH_DELETE, MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { systemClock } from '../shared/clock.js';
import { silentLog } from '../shared/log.js';
import type { EmployeeRecord } from '../store/types.js';
import { EMPLOYEE_STATUS, StaleWriteError } from '../store/types.js';
import { type GuardVerdict, checkDeletionGuard } from './deletion-guard.js';
import type { LifecycleDeps } from './types.js';

const DAY_MS = 24 * 3600 * 1000;

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
}

export class CleanupAbortedError extends Error {
  override readonly name = 'CleanupAbortedError';
}

/**
 * Deletes members disabled for longer than the retention period. Decides only from a complete
 * listing: any listing error aborts the run (never treat missing data as people who left).
 * Touches only members this system manages (a lifecycle record with the same HR id).
 */
export const runCleanup = async (deps: LifecycleDeps, options: { signal?: AbortSignal; requestId?: string } = {}) => {
  const { meeting, store, settings } = deps;
  const log = deps.log ?? silentLog;
  const now = (deps.clock ?? systemClock).now();
  const call: CallOptions = { accountType: deps.accountType, ...options };

  const candidates = await store.listDisabledBefore(now - settings.retentionDays * DAY_MS);
  const skipped: CleanupReport['skipped'] = [];
  const alreadyGone: string[] = [];
  const toDelete: EmployeeRecord[] = [];

  if (candidates.length > 0) {
    let listing: Awaited<ReturnType<typeof meeting.listAllMembers>>;
    try {
      // Everything, not just disabled members: a member missing from a complete listing is gone,
      // one listed as enabled was re-enabled outside this system. Both are left alone.
      listing = await meeting.listAllMembers({}, call);
    } catch (error) {
      throw new CleanupAbortedError('member listing failed; cleanup aborted without deleting anything', { cause: error });
    }
    const byHrId = new Map(listing.filter((m) => m.thirdAccount).map((m) => [m.thirdAccount!, m]));
    const byAccount = new Map(listing.map((m) => [m.userAccount, m]));
    for (const record of candidates) {
      const member = byHrId.get(record.employeeId) ?? byAccount.get(record.account);
      if (!member) {
        alreadyGone.push(record.employeeId);
        continue;
      }
      if (member.status !== MEMBER_STATUS.disabled) {
        skipped.push({ employeeId: record.employeeId, reason: 'enabled in Meeting' });
        continue;
      }
      if (member.adminType === 0) {
        skipped.push({ employeeId: record.employeeId, reason: 'enterprise default admin' });
      } else if (member.adminType === 1 && !settings.deleteAdmins) {
        skipped.push({ employeeId: record.employeeId, reason: 'holds an admin role (CLEANUP_DELETE_ADMINS=false)' });
      } else {
        toDelete.push(record);
      }
    }
  }

  const managed = await store.countManaged();
  const guard = checkDeletionGuard(toDelete.length, managed, settings);
  const wouldDelete = toDelete.map((r) => r.employeeId);
  const report = { dryRun: settings.dryRun, candidates: candidates.length, wouldDelete, alreadyGone, skipped, guard };

  if (!settings.dryRun) {
    for (const id of alreadyGone) await markDeleted(candidates.find((c) => c.employeeId === id)!, deps, now);
  }
  if (!guard.allowed) {
    log.error('mass-deletion guard refused the cleanup run', { ...guard, wouldDelete: wouldDelete.length });
    return { ...report, deleted: [] };
  }
  if (settings.dryRun) {
    log.info('cleanup dry run', { wouldDelete });
    return { ...report, deleted: [] };
  }

  const deleted: string[] = [];
  for (let i = 0; i < toDelete.length; i += MAX_BATCH_DELETE) {
    const chunk = toDelete.slice(i, i + MAX_BATCH_DELETE);
    const accounts = chunk.map((r) => r.account);
    const admins = chunk.filter((r) => r.isAdmin).map((r) => r.account);
    if (admins.length > 0) await revokeAdmins(deps, admins, call);
    await meeting.deleteMembers(accounts, call);
    for (const record of chunk) {
      await markDeleted(record, deps, now);
      deleted.push(record.employeeId);
    }
  }
  log.info('cleanup done', { deleted: deleted.length, alreadyGone: alreadyGone.length, skipped: skipped.length });
  return { ...report, deleted };
};

const revokeAdmins = async (deps: LifecycleDeps, accounts: string[], call: CallOptions) => {
  try {
    await deps.meeting.deleteAdmins(accounts, call);
  } catch (error) {
    if (!isMeetingError(error, 'notFound')) throw error;
  }
};

const markDeleted = async (record: EmployeeRecord, deps: LifecycleDeps, now: number) => {
  try {
    await deps.store.putEmployee(
      { ...record, status: EMPLOYEE_STATUS.deleted, deletedAt: now, isAdmin: false, updatedAt: now },
      record.lastVersion,
    );
  } catch (error) {
    if (!(error instanceof StaleWriteError)) throw error;
    // A newer event (e.g. a rehire) landed while we were deleting: the next event recreates the member.
    (deps.log ?? silentLog).warn('employee changed during cleanup', { employeeId: record.employeeId });
  }
};
