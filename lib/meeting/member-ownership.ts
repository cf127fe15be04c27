import { ACCOUNT_TYPE, type Member } from './schemas.js';
import type { CallOptions } from './types.js';

type Lookup = (account: string, options?: CallOptions) => Promise<Member | undefined>;

export interface OwnershipKey {
  readonly thirdAccount?: string;
  readonly account?: string;
}

/**
 * Finds the existing member a create collided with and returns it only if it is ours: the
 * same thirdAccount (HR id). Without a thirdAccount to compare (account mode, or the legacy
 * dialect, which has none), a member of our own enterprise with the requested Meeting
 * account counts as ours — account names are corp-prefixed (docs/meeting-api.md §8 D18); another
 * enterprise's account is not visible to us and stays a conflict.
 */
export const findOwnMember = async (
  lookup: Lookup,
  key: OwnershipKey,
  options: CallOptions | undefined,
  seesThirdAccount: boolean,
): Promise<Member | undefined> => {
  const compareHrId = seesThirdAccount && key.thirdAccount !== undefined;
  if (compareHrId) {
    const byHrId = await lookup(key.thirdAccount!, { ...options, accountType: ACCOUNT_TYPE.thirdAccount });
    if (byHrId?.thirdAccount === key.thirdAccount) return byHrId;
  }
  if (key.account === undefined) return undefined;
  const byAccount = await lookup(key.account, { ...options, accountType: ACCOUNT_TYPE.meetingAccount });
  if (!byAccount) return undefined;
  return !compareHrId || byAccount.thirdAccount === key.thirdAccount ? byAccount : undefined;
};
