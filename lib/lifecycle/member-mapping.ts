import type { HrEvent } from '../events/schemas.js';
import type { AccountType, AddMemberInput, MemberStatus, UpdateMemberInput } from '../meeting/schemas.js';
import { ACCOUNT_TYPE } from '../meeting/schemas.js';
import type { MemberProfile } from '../store/types.js';

/**
 * The identifier used on Meeting calls for this employee: the HR id itself in App ID mode
 * (accountType 1, thirdAccount), else the Meeting account (given by HR, or the HR id).
 */
export const memberAccountFor = (event: HrEvent, accountType: AccountType): string =>
  accountType === ACCOUNT_TYPE.thirdAccount ? event.employeeId : (event.member.account ?? event.employeeId);

/** The member fields an event states: the employee's full current profile. */
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

/** AddUserDTO for a new member: thirdAccount is always the HR id, so rehires match the same member. */
export const addMemberInputFor = (
  profile: MemberProfile,
  employeeId: string,
  account: string,
  options: { readonly accountType: AccountType; readonly settings: { readonly sendNotify: boolean } },
): AddMemberInput & { thirdAccount: string } => ({
  ...profile,
  ...(options.accountType === ACCOUNT_TYPE.meetingAccount && { account }),
  thirdAccount: employeeId,
  ...(options.settings.sendNotify ? {} : { sendNotify: '0' }),
});

/**
 * ModUserDTO writing the whole profile. Modify keeps what a request omits, so a field HR no
 * longer has is sent empty to clear it (the documented modify example sends `"signature":""`);
 * otherwise the result would depend on the order older profiles were written in. `country`
 * is left alone when absent: it only qualifies a phone number.
 */
export const updateMemberInputFor = (profile: MemberProfile, status: MemberStatus): UpdateMemberInput => ({
  englishName: '',
  email: '',
  phone: '',
  title: '',
  ...profile,
  status,
});
