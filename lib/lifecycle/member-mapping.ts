import type { HrEvent } from '../events/schemas.js';
import type { AccountType, AddMemberInput, MemberStatus, UpdateMemberInput } from '../meeting/schemas.js';
import { ACCOUNT_TYPE } from '../meeting/schemas.js';
import type { EmployeeRecord, MemberProfile, SelectorType } from '../store/types.js';

/** How one employee's member is addressed on every Meeting call for them. */
export interface MemberSelector {
  readonly account: string;
  readonly accountType: AccountType;
}

/**
 * The selector a record says, or the deployment's default type (`accountType` of the lifecycle:
 * by HR id in App ID mode). A member adopted without our HR id is addressed by its Meeting
 * account (record.accountType 0), since Meeting cannot be told its HR id (ModUserDTO has no
 * thirdAccount).
 */
export const selectorOf = (
  record: Pick<EmployeeRecord, 'account' | 'accountType'>,
  defaultType: AccountType,
): MemberSelector => ({ account: record.account, accountType: record.accountType ?? defaultType });

/** What a record stores of a selector: the type only where it is not the deployment's default. */
export const storedAccountType = (
  selector: MemberSelector,
  defaultType: AccountType,
): SelectorType | undefined => (selector.accountType === defaultType ? undefined : selector.accountType);

/** Batch calls take one accountType each: splits items by their selector's type, in order. */
export const groupByAccountType = <T>(
  items: readonly T[],
  typeOf: (item: T) => AccountType,
): [AccountType, T[]][] => {
  const groups = new Map<AccountType, T[]>();
  for (const item of items) {
    const type = typeOf(item);
    const group = groups.get(type);
    if (group) group.push(item);
    else groups.set(type, [item]);
  }
  return [...groups];
};

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
