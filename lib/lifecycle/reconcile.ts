import { ifNotFound } from '../http/errors.js';
import { MEMBER_STATUS, type MemberStatus, type MemberSummary } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import type { EmployeeRecord, MemberProfile } from '../store/types.js';
import { EMPLOYEE_STATUS } from '../store/types.js';
import { updateMemberInputFor } from './member-mapping.js';
import type { LifecycleContext } from './types.js';

/** Finds the Meeting member of a record in a complete listing (by HR id, else by account). */
export const memberIndex = (listing: readonly MemberSummary[]) => {
  const byHrId = new Map(listing.filter((m) => m.thirdAccount).map((m) => [m.thirdAccount!, m]));
  const byAccount = new Map(listing.map((m) => [m.userAccount, m]));
  return (record: EmployeeRecord) => byHrId.get(record.employeeId) ?? byAccount.get(record.account);
};

const PROFILE_FIELDS = ['name', 'englishName', 'email', 'phone', 'country', 'title', 'deptCode'] as const;

/** Empty and absent are the same to Meeting; a country HR does not give is left alone. */
const profileDiffers = (member: MemberSummary, profile: MemberProfile) =>
  PROFILE_FIELDS.some(
    (field) =>
      !(field === 'country' && profile.country === undefined) &&
      (member[field] ?? '') !== (profile[field] ?? ''),
  );

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
  ctx: LifecycleContext,
  records: readonly EmployeeRecord[],
  find: (record: EmployeeRecord) => MemberSummary | undefined,
  call: CallOptions,
): Promise<ReconcileReport> => {
  const report: ReconcileReport = { corrected: [], adminRevoked: [], failed: [] };
  const leaverAdmins = records.filter(
    (r) => r.status === EMPLOYEE_STATUS.disabled && find(r)?.adminType === 1,
  );
  if (leaverAdmins.length > 0) {
    await ifNotFound(
      () =>
        ctx.meeting.deleteAdmins(
          leaverAdmins.map((r) => r.account),
          call,
        ),
      () => undefined,
    );
    report.adminRevoked.push(...leaverAdmins.map((r) => r.employeeId));
  }
  for (const record of records) {
    const member = find(record);
    if (!member) continue;
    const status: MemberStatus =
      record.status === EMPLOYEE_STATUS.active ? MEMBER_STATUS.normal : MEMBER_STATUS.disabled;
    // What HR says, once this system has written it (an unwritten profile is the next event's job).
    const profile =
      record.hr.profile?.version === record.profileApplied ? record.hr.profile?.value : undefined;
    const fields = profile !== undefined && profileDiffers(member, profile);
    if (member.status === status && !fields) continue;
    const current = await ctx.store.getEmployee(record.employeeId);
    if (current?.revision !== record.revision) continue; // an event changed it since the listing
    try {
      if (profile)
        await ctx.meeting.updateMember(record.account, updateMemberInputFor(profile, status), call);
      else await ctx.meeting.setMembersStatus([record.account], status, call);
      report.corrected.push(record.employeeId);
    } catch (error) {
      report.failed.push({
        employeeId: record.employeeId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  if (report.corrected.length + report.adminRevoked.length + report.failed.length > 0) {
    ctx.log.warn('members reconciled with the HR state', { ...report });
  }
  return report;
};
