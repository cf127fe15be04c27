import { isMeetingError } from '../http/errors.js';
import { MEMBER_STATUS, type MemberStatus, type MemberSummary } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { silentLog } from '../shared/log.js';
import type { EmployeeRecord, MemberProfile } from '../store/types.js';
import { EMPLOYEE_STATUS } from '../store/types.js';
import type { LifecycleDeps } from './types.js';

/** Finds the Meeting member of a record in a complete listing (by HR id, else by account). */
export const memberIndex = (listing: readonly MemberSummary[]) => {
  const byHrId = new Map(listing.filter((m) => m.thirdAccount).map((m) => [m.thirdAccount!, m]));
  const byAccount = new Map(listing.map((m) => [m.userAccount, m]));
  return (record: EmployeeRecord) => byHrId.get(record.employeeId) ?? byAccount.get(record.account);
};

const PROFILE_FIELDS = ['name', 'englishName', 'email', 'phone', 'country', 'title', 'deptCode'] as const;

const profileDiffers = (member: MemberSummary, profile: MemberProfile) =>
  PROFILE_FIELDS.some((field) => (member[field] ?? '') !== (profile[field] ?? ''));

export interface ReconcileReport {
  /** Members whose status or fields differed from the last applied event, and were put back. */
  readonly corrected: string[];
  /** Leavers that still held an enterprise admin role. */
  readonly adminRevoked: string[];
  readonly failed: { employeeId: string; error: string }[];
}

/**
 * HR is the source of truth for the members this system manages. Puts back what differs from
 * the last applied event: a leaver found enabled or holding an admin role, a rehire found
 * disabled, fields changed by a request that timed out on our side and landed late, or by hand.
 * A record that changed since it was listed is left to the event that changed it.
 */
export const reconcileMembers = async (
  deps: LifecycleDeps,
  records: readonly EmployeeRecord[],
  find: (record: EmployeeRecord) => MemberSummary | undefined,
  call: CallOptions,
): Promise<ReconcileReport> => {
  const report: ReconcileReport = { corrected: [], adminRevoked: [], failed: [] };
  const leaverAdmins = records.filter(
    (r) => r.status === EMPLOYEE_STATUS.disabled && find(r)?.adminType === 1,
  );
  if (leaverAdmins.length > 0) {
    try {
      await deps.meeting.deleteAdmins(
        leaverAdmins.map((r) => r.account),
        call,
      );
    } catch (error) {
      if (!isMeetingError(error, 'notFound')) throw error;
    }
    report.adminRevoked.push(...leaverAdmins.map((r) => r.employeeId));
  }
  for (const record of records) {
    const member = find(record);
    if (!member) continue;
    const status: MemberStatus =
      record.status === EMPLOYEE_STATUS.active ? MEMBER_STATUS.normal : MEMBER_STATUS.disabled;
    const fields = record.profile !== undefined && profileDiffers(member, record.profile);
    if (member.status === status && !fields) continue;
    const current = await deps.store.getEmployee(record.employeeId);
    if (current?.updatedAt !== record.updatedAt) continue; // an event is handling it right now
    try {
      if (record.profile)
        await deps.meeting.updateMember(record.account, { ...record.profile, status }, call);
      else await deps.meeting.setMembersStatus([record.account], status, call);
      report.corrected.push(record.employeeId);
    } catch (error) {
      report.failed.push({
        employeeId: record.employeeId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (report.corrected.length + report.adminRevoked.length + report.failed.length > 0) {
    (deps.log ?? silentLog).warn('members reconciled with the HR state', { ...report });
  }
  return report;
};
