import type { HrEvent } from '../events/schemas.js';
import type { AccountType, AddMemberInput, UpdateMemberInput } from '../meeting/schemas.js';
import { ACCOUNT_TYPE } from '../meeting/schemas.js';
import type { MemberProfile } from '../store/types.js';

/**
 * The identifier used on Meeting calls for this employee: the HR id itself in App ID mode
 * (accountType 1, thirdAccount), else the Meeting account (given by HR, or the HR id).
 */
export const memberAccountFor = (event: HrEvent, accountType: AccountType): string =>
  accountType === ACCOUNT_TYPE.thirdAccount ? event.employeeId : (event.member.account ?? event.employeeId);

/** The member fields an event asks for (what reconciliation later expects to find in Meeting). */
export const memberProfileOf = (event: HrEvent): MemberProfile => {
  const m = event.member;
  return {
    name: m.name,
    ...(m.englishName !== undefined && { englishName: m.englishName }),
    ...(m.email !== undefined && { email: m.email }),
    ...(m.phone !== undefined && { phone: m.phone }),
    ...(m.country !== undefined && { country: m.country }),
    ...(m.title !== undefined && { title: m.title }),
    // Always explicit: an omitted deptCode may reset the member to the root (docs/meeting-api.md §2.4).
    deptCode: m.deptCode ?? '1',
  };
};

/** AddUserDTO for a hire: thirdAccount is always the HR id, so rehires match the same member. */
export const addMemberInputFor = (
  event: HrEvent,
  accountType: AccountType,
  sendNotify: boolean,
): AddMemberInput & { thirdAccount: string } => ({
  ...memberProfileOf(event),
  ...(accountType === ACCOUNT_TYPE.meetingAccount && { account: memberAccountFor(event, accountType) }),
  thirdAccount: event.employeeId,
  ...(sendNotify ? {} : { sendNotify: '0' }),
});

export const updateMemberInputFor = (event: HrEvent, status?: 0 | 1): UpdateMemberInput => ({
  ...memberProfileOf(event),
  ...(status !== undefined && { status }),
});
