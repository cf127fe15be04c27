import {
  EMPLOYEE_STATUS,
  EMPLOYMENT,
  type EmployeeRecord,
  type EmployeeStatus,
  type MemberLink,
  type SelectorType,
} from '../store/types.js';
import type { Merge, Target } from './hr-state.js';

/** The member in Meeting as this system last left it; `unknown` = no record yet. */
export interface Applied {
  readonly status: EmployeeStatus | 'unknown';
  readonly isAdmin: boolean;
  /** Version of the HR profile last written to Meeting (-1: none). */
  readonly profileApplied: number;
  readonly memberId?: string;
}

export const appliedOf = (record: EmployeeRecord | undefined): Applied =>
  record
    ? {
        status: record.status,
        isAdmin: record.isAdmin,
        profileApplied: record.profileApplied ?? -1,
        ...(record.memberId && { memberId: record.memberId }),
      }
    : { status: 'unknown', isAdmin: false, profileApplied: -1 };

/** One change to make in Meeting. */
export type Action =
  /** Create the member with the HR profile, or adopt ours if it exists; enable it if disabled. */
  | { readonly kind: 'createMember' }
  /** Write the HR profile together with the status (ModUserDTO carries both: one call). */
  | { readonly kind: 'writeProfile'; readonly enabled: boolean }
  /**
   * Disable at once, checked by the circuit breaker: coalesced into a batch status call, or,
   * when the termination also brings a changed profile, in the one call that writes it.
   */
  | { readonly kind: 'disable'; readonly withProfile: boolean }
  /** No record of ours: disable only a member that is provably ours (same HR id). */
  | { readonly kind: 'disableIfOurs' }
  | { readonly kind: 'grantAdmin' }
  | { readonly kind: 'revokeAdmin' };

/**
 * What must change in Meeting so that it matches HR's word (pure). An empty plan means Meeting
 * already matches as far as this system knows.
 */
export const planActions = (applied: Applied, target: Target, merge: Merge): Action[] => {
  const profileVersion = merge.hr.profile?.version ?? -1;
  const profileBehind = applied.profileApplied < profileVersion;
  const actions: Action[] = [];
  if (target.employment === EMPLOYMENT.active) {
    if (applied.status === 'unknown' || applied.status === EMPLOYEE_STATUS.deleted) {
      actions.push({ kind: 'createMember' });
    } else if (applied.status === EMPLOYEE_STATUS.disabled || profileBehind) {
      actions.push({ kind: 'writeProfile', enabled: true });
    }
    if (target.admin === true && !applied.isAdmin) actions.push({ kind: 'grantAdmin' });
    if (target.admin === false && applied.isAdmin) actions.push({ kind: 'revokeAdmin' });
    return actions;
  }
  // A leaver loses access first: the disable is queued before the role is revoked, so a revoke
  // Meeting refuses (a 403, say) cannot keep the member enabled.
  if (applied.status === 'unknown') actions.push({ kind: 'disableIfOurs' });
  else if (applied.status === EMPLOYEE_STATUS.active)
    actions.push({ kind: 'disable', withProfile: profileBehind });
  else if (applied.status === EMPLOYEE_STATUS.disabled && profileBehind) {
    actions.push({ kind: 'writeProfile', enabled: false });
  }
  if (applied.isAdmin) actions.push({ kind: 'revokeAdmin' });
  return actions;
};

/** The record after an event: HR's word merged, and Meeting as the executed actions left it (pure). */
export const nextRecord = (input: {
  readonly previous: EmployeeRecord | undefined;
  readonly employeeId: string;
  readonly account: string;
  /** Stored only where it differs from the deployment's default (EmployeeRecord.accountType). */
  readonly accountType?: SelectorType | undefined;
  /** Default: the previous record's. */
  readonly linked?: MemberLink;
  readonly event: { readonly id: string; readonly version: number };
  readonly merge: Merge;
  readonly applied: Applied;
  readonly now: number;
}): EmployeeRecord => {
  const { previous, applied, event, now } = input;
  const status = applied.status === 'unknown' ? EMPLOYEE_STATUS.deleted : applied.status;
  const newest = previous === undefined || event.version > previous.lastVersion;
  const memberId = applied.memberId ?? previous?.memberId;
  const linked = input.linked ?? previous?.linked;
  return {
    employeeId: input.employeeId,
    account: input.account,
    ...(input.accountType !== undefined && { accountType: input.accountType }),
    ...(linked && { linked }),
    ...(memberId && { memberId }),
    status,
    isAdmin: status === EMPLOYEE_STATUS.deleted ? false : applied.isAdmin,
    ...(applied.profileApplied >= 0 && { profileApplied: applied.profileApplied }),
    hr: input.merge.hr,
    ...(previous?.floorVersion !== undefined && { floorVersion: previous.floorVersion }),
    lastVersion: newest ? event.version : previous.lastVersion,
    lastEventId: newest ? event.id : previous.lastEventId,
    ...(status === EMPLOYEE_STATUS.disabled && {
      disabledAt: previous?.status === EMPLOYEE_STATUS.disabled ? (previous.disabledAt ?? now) : now,
    }),
    ...(status === EMPLOYEE_STATUS.deleted && { deletedAt: previous?.deletedAt ?? now }),
    updatedAt: now,
    revision: (previous?.revision ?? 0) + 1,
  };
};
