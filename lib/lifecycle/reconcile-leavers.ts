import { isMeetingError } from '../meeting/errors.js';
import { MEMBER_STATUS, type MemberSummary } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { silentLog } from '../shared/log.js';
import type { EmployeeRecord } from '../store/types.js';
import type { LifecycleDeps } from './types.js';

/** Finds the Meeting member of a record in a complete listing (by HR id, else by account). */
export const memberIndex = (listing: readonly MemberSummary[]) => {
  const byHrId = new Map(listing.filter((m) => m.thirdAccount).map((m) => [m.thirdAccount!, m]));
  const byAccount = new Map(listing.map((m) => [m.userAccount, m]));
  return (record: EmployeeRecord) => byHrId.get(record.employeeId) ?? byAccount.get(record.account);
};

/**
 * Safety net for leavers: HR is the source of truth for the members we manage, so a leaver found
 * enabled (re-enabled outside this system, or a request that timed out on our side and landed on
 * the server late) is disabled again, and a leaver holding an admin role loses it.
 */
export const reconcileLeavers = async (
  deps: LifecycleDeps,
  leavers: readonly EmployeeRecord[],
  find: (record: EmployeeRecord) => MemberSummary | undefined,
  call: CallOptions,
) => {
  const enabled: EmployeeRecord[] = [];
  const admins: EmployeeRecord[] = [];
  for (const record of leavers) {
    const member = find(record);
    if (member?.status === MEMBER_STATUS.normal) enabled.push(record);
    if (member?.adminType === 1) admins.push(record);
  }
  if (admins.length > 0) {
    try {
      await deps.meeting.deleteAdmins(
        admins.map((r) => r.account),
        call,
      );
    } catch (error) {
      if (!isMeetingError(error, 'notFound')) throw error;
    }
  }
  if (enabled.length > 0) {
    await deps.meeting.setMembersStatus(
      enabled.map((r) => r.account),
      MEMBER_STATUS.disabled,
      call,
    );
  }
  const reconciled = {
    disabled: enabled.map((r) => r.employeeId),
    adminRevoked: admins.map((r) => r.employeeId),
  };
  if (enabled.length + admins.length > 0)
    (deps.log ?? silentLog).warn('leavers reconciled with Meeting', reconciled);
  return reconciled;
};
