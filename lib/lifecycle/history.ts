import {
  ACCOUNT_TYPE,
  type AccountType,
  ADMIN_TYPE,
  MEMBER_STATUS,
  type Member,
} from '../meeting/schemas.js';
import type { MeetingClient } from '../meeting/types.js';
import type { AuditEntry, EmployeeRecord, LifecycleStore, OffboardingStore } from '../store/types.js';
import { failureReason } from './failures.js';
import { selectorOf } from './member-mapping.js';
import { profileDifferences } from './reconcile.js';

/** The member as Meeting has it now, or why that could not be read. */
export type MeetingView =
  | {
      readonly state: 'found';
      readonly account: string;
      readonly status: 'enabled' | 'disabled';
      readonly admin: 'default' | 'admin' | 'no';
      readonly member: Member;
      /** Fields where Meeting differs from the profile this system last wrote (none: in step). */
      readonly differences: readonly string[];
    }
  | { readonly state: 'absent'; readonly account: string }
  | { readonly state: 'unavailable'; readonly reason: string };

/** One employee's history (`npm run history -- EMPLOYEE_ID`). */
export interface EmployeeHistory {
  readonly employeeId: string;
  readonly record?: EmployeeRecord;
  /** Every event received for the employee and what was done with it, oldest first. */
  readonly events: readonly AuditEntry[];
  readonly meeting: MeetingView;
  /** A disable still waiting in the buffer, and one held back by the circuit breaker. */
  readonly pendingDisable?: boolean;
  readonly staged?: { readonly stageId: string; readonly kind: string; readonly stagedAt: number };
}

export interface HistoryDeps {
  readonly store: LifecycleStore;
  /** Optional: without one, the history says Meeting was not asked. */
  readonly meeting?: MeetingClient;
  readonly offboarding?: OffboardingStore;
  /** The deployment's default selector type (App ID mode: by HR id). */
  readonly accountType: AccountType;
}

const viewOf = (member: Member, account: string, record: EmployeeRecord | undefined): MeetingView => {
  const profile =
    record?.hr.profile && record.hr.profile.version === record.profileApplied
      ? record.hr.profile.value
      : undefined;
  return {
    state: 'found',
    account,
    status: member.status === MEMBER_STATUS.disabled ? 'disabled' : 'enabled',
    admin:
      member.adminType === ADMIN_TYPE.default
        ? 'default'
        : member.adminType === ADMIN_TYPE.common
          ? 'admin'
          : 'no',
    member,
    differences: profile ? profileDifferences(member, profile) : [],
  };
};

/**
 * Reads one employee's history: the audit (one Query on the employee's partition), the record,
 * the member as Meeting has it now (by the record's selector, else by HR id), and whether a
 * disable is pending or staged. Reads only.
 */
export const employeeHistory = async (deps: HistoryDeps, employeeId: string): Promise<EmployeeHistory> => {
  const [record, events] = await Promise.all([
    deps.store.getEmployee(employeeId),
    deps.store.listAudit(employeeId),
  ]);
  const selector = record
    ? selectorOf(record, deps.accountType)
    : { account: employeeId, accountType: ACCOUNT_TYPE.thirdAccount };
  let meeting: MeetingView;
  if (!deps.meeting) meeting = { state: 'unavailable', reason: 'Meeting not configured' };
  else {
    try {
      const member = await deps.meeting.findMember(selector.account, {
        accountType: selector.accountType,
        requestId: `history-${employeeId}`,
      });
      meeting = member
        ? viewOf(member, member.userAccount, record)
        : { state: 'absent', account: selector.account };
    } catch (error) {
      meeting = { state: 'unavailable', reason: failureReason(error) };
    }
  }
  let pendingDisable: boolean | undefined;
  let staged: EmployeeHistory['staged'];
  if (deps.offboarding) {
    pendingDisable = (await deps.offboarding.pendingAmong([employeeId])).has(employeeId);
    const breaker = await deps.offboarding.getBreaker();
    const action = breaker
      ? (await deps.offboarding.listStagedActions(breaker.stageId)).find((a) => a.employeeId === employeeId)
      : undefined;
    if (action) staged = { stageId: action.stageId, kind: action.kind, stagedAt: action.stagedAt };
  }
  return {
    employeeId,
    ...(record && { record }),
    events,
    meeting,
    ...(pendingDisable !== undefined && { pendingDisable }),
    ...(staged && { staged }),
  };
};
