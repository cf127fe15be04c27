import { ifNotFound } from '../http/errors.js';
import {
  type AccountType,
  MEMBER_STATUS,
  type MemberStatus,
  type MemberSummary,
} from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import type { EmployeeRecord, MemberProfile } from '../store/types.js';
import { EMPLOYEE_STATUS } from '../store/types.js';
import { failureReason } from './failures.js';
import { targetOf } from './hr-state.js';
import { groupByAccountType, selectorOf, updateMemberInputFor } from './member-mapping.js';
import type { LifecycleContext } from './types.js';

/**
 * Finds the Meeting member of a record in a complete listing: by HR id, else by account; a
 * member adopted without our HR id (addressed by its Meeting account where the default is the HR
 * id) only by its account, the one it was adopted as.
 */
export const memberIndex = (listing: readonly MemberSummary[], defaultType: AccountType) => {
  const byHrId = new Map(listing.filter((m) => m.thirdAccount).map((m) => [m.thirdAccount!, m]));
  const byAccount = new Map(listing.map((m) => [m.userAccount, m]));
  return (record: Pick<EmployeeRecord, 'employeeId' | 'account' | 'accountType'>) =>
    selectorOf(record, defaultType).accountType !== defaultType
      ? byAccount.get(record.account)
      : (byHrId.get(record.employeeId) ?? byAccount.get(record.account));
};

const PROFILE_FIELDS = ['name', 'englishName', 'email', 'phone', 'country', 'title', 'deptCode'] as const;

/** The fields where a member differs from a profile: empty and absent are the same to Meeting; a country HR does not give is left alone. */
export const profileDifferences = (member: MemberSummary, profile: MemberProfile): string[] =>
  PROFILE_FIELDS.filter(
    (field) =>
      !(field === 'country' && profile.country === undefined) &&
      (member[field] ?? '') !== (profile[field] ?? ''),
  );

const profileDiffers = (member: MemberSummary, profile: MemberProfile) =>
  profileDifferences(member, profile).length > 0;

/**
 * How long an event's applyingSince keeps cleanup away: well beyond the worker's 60 s invocation,
 * so that only a marker left by an invocation that died mid-event stops holding.
 */
export const APPLYING_HOLD_MS = 5 * 60_000;

export interface ReconcileReport {
  /** Members whose status or fields differed from the last applied event, and were put back. */
  readonly corrected: string[];
  /** Members that held the enterprise admin role although HR says they must not (leavers included). */
  readonly adminRevoked: string[];
  /** Members HR says hold the admin role, found without it. */
  readonly adminGranted: string[];
  readonly failed: { employeeId: string; error: string }[];
}

/** The admin role HR says a listed member must hold; undefined: HR never spoke, leave it alone. */
const adminDrift = (record: EmployeeRecord, member: MemberSummary): 'grant' | 'revoke' | undefined => {
  const want = targetOf(record.hr).admin;
  // The default admin (adminType 0) is never ours to change.
  if (want === undefined || member.adminType === 0) return undefined;
  const has = member.adminType === 1;
  return want === has ? undefined : want ? 'grant' : 'revoke';
};

/**
 * HR is the source of truth for the members this system manages. Puts back what differs from
 * HR's word: a leaver found enabled or holding an admin role, a rehire found disabled, an admin
 * role granted or revoked by a request that timed out on our side and landed late (or by hand),
 * fields changed the same way. A record that changed since it was listed, or whose event is still
 * changing Meeting (applyingSince), is left to that event.
 */
export const reconcileMembers = async (
  ctx: LifecycleContext,
  records: readonly EmployeeRecord[],
  find: (record: EmployeeRecord) => MemberSummary | undefined,
  call: CallOptions,
): Promise<ReconcileReport> => {
  const report: ReconcileReport = { corrected: [], adminRevoked: [], adminGranted: [], failed: [] };
  /** The record as listed is still the last word: no event wrote since, none is changing Meeting. */
  const unchanged = async (record: EmployeeRecord) => {
    const current = await ctx.store.getEmployee(record.employeeId);
    if (current?.revision !== record.revision) return false;
    const applying = current.applyingSince;
    return applying === undefined || applying <= ctx.clock.now() - APPLYING_HOLD_MS;
  };
  const drift: { record: EmployeeRecord; change: 'grant' | 'revoke' }[] = [];
  for (const record of records) {
    const member = find(record);
    const change = member && adminDrift(record, member);
    // An event that changed the record since the listing decides instead.
    if (change && (await unchanged(record))) drift.push({ record, change });
  }
  const typed = (record: EmployeeRecord): CallOptions => ({
    ...call,
    accountType: selectorOf(record, ctx.accountType).accountType,
  });
  const revoke = drift.filter((d) => d.change === 'revoke').map((d) => d.record);
  for (const [accountType, group] of groupByAccountType(
    revoke,
    (r) => selectorOf(r, ctx.accountType).accountType,
  )) {
    await ifNotFound(
      () =>
        ctx.meeting.deleteAdmins(
          group.map((r) => r.account),
          { ...call, accountType },
        ),
      () => undefined,
    );
    report.adminRevoked.push(...group.map((r) => r.employeeId));
  }
  for (const { record } of drift.filter((d) => d.change === 'grant')) {
    try {
      await ctx.meeting.addAdmin(record.account, typed(record));
      report.adminGranted.push(record.employeeId);
    } catch (error) {
      report.failed.push({ employeeId: record.employeeId, error: failureReason(error) });
    }
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
    if (!(await unchanged(record))) continue;
    try {
      if (profile)
        await ctx.meeting.updateMember(record.account, updateMemberInputFor(profile, status), typed(record));
      else await ctx.meeting.setMembersStatus([record.account], status, typed(record));
      report.corrected.push(record.employeeId);
    } catch (error) {
      report.failed.push({ employeeId: record.employeeId, error: failureReason(error) });
    }
  }
  const changed = report.corrected.length + report.adminRevoked.length + report.adminGranted.length;
  if (changed + report.failed.length > 0) {
    ctx.log.warn('members reconciled with the HR state', { ...report });
  }
  return report;
};
