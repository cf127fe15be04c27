import { ERROR_KIND, isMeetingError, MemberConflictError } from '../http/errors.js';
import type { ClientContext } from './context.js';
import { accountTypeOf } from './context.js';
import type { MemberField } from './dialects/types.js';
import { findOwnMember } from './member-ownership.js';
import type { MemberOperations } from './members.js';
import {
  ACCOUNT_TYPE,
  type AddMemberInput,
  type Member,
  type MemberResult,
  type UpdateMemberInput,
} from './schemas.js';
import type { CallOptions, EnsureMemberOutcome } from './types.js';

export const differingFields = (
  member: Member,
  input: AddMemberInput,
  fields: readonly MemberField[],
): MemberField[] => fields.filter((field) => input[field] !== undefined && member[field] !== input[field]);

const updateFrom = (
  member: Member,
  input: AddMemberInput,
  fields: readonly MemberField[],
): UpdateMemberInput => {
  const update: Record<string, unknown> = {};
  for (const field of fields) if (input[field] !== undefined) update[field] = input[field];
  // Always send name and deptCode (docs/meeting-api.md §8 D6; an omitted deptCode may reset to the root, §2.4).
  return { ...update, name: input.name, deptCode: input.deptCode ?? member.deptCode } as UpdateMemberInput;
};

/**
 * Create, or adopt the member a create collided with when it is ours (same thirdAccount),
 * updating it when its data differ (a rehire, a retried create). Someone else's account →
 * MemberConflictError, never a silent takeover.
 */
export const ensureMember = async (
  context: ClientContext,
  members: MemberOperations,
  input: AddMemberInput & { thirdAccount: string },
  options?: CallOptions,
): Promise<{ member: MemberResult; outcome: EnsureMemberOutcome }> => {
  try {
    return { member: await members.createMember(input, options), outcome: 'created' };
  } catch (error) {
    if (!isMeetingError(error, ERROR_KIND.alreadyExists) || error instanceof MemberConflictError) throw error;
    const own = await findOwnMember(members.findMember, input, options, context.dialect.name === 'current');
    if (!own) {
      throw new MemberConflictError('ensureMember: the account already exists and is not ours', {
        kind: ERROR_KIND.alreadyExists,
        status: error.status,
        errorCode: error.errorCode,
        errorMsg: error.errorMsg,
        requestId: error.requestId,
        api: error.api,
        cause: error,
      });
    }
    const fields = context.dialect.memberFields;
    if (differingFields(own, input, fields).length === 0) return { member: own, outcome: 'adopted' };
    const accountType = accountTypeOf(context, options);
    const byHrId = accountType === ACCOUNT_TYPE.thirdAccount && own.thirdAccount !== undefined;
    const selector = byHrId ? own.thirdAccount! : own.userAccount;
    const selectorType = byHrId ? ACCOUNT_TYPE.thirdAccount : ACCOUNT_TYPE.meetingAccount;
    const updated = await members.updateMember(selector, updateFrom(own, input, fields), {
      ...options,
      accountType: selectorType,
    });
    // The answer may leave fields out (all optional, docs/meeting-api.md §2.9): what it does not say is as we read it.
    return { member: { ...own, ...updated }, outcome: 'updated' };
  }
};
