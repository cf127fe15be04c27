import { randomBytes, randomUUID } from 'node:crypto';
import { ERROR_CODE, ROOT_DEPT } from './constants.js';
import { paramInvalid, SimError, userNotFound } from './errors.js';
import type { MemberPatch, NewMember } from './member-input.js';
import { ADMIN_TYPE, type MemberRecord } from './member-store.js';
import type { AccountType } from './validation.js';
import type { World } from './world.js';

/** Member operations shared by both dialects (docs/meeting-api.md §2, §7). */

const protectedOwner = (what: string) =>
  new SimError(400, ERROR_CODE.defaultAdminProtected, `the default administrator cannot be ${what}`);

const generateAccount = (world: World): string => {
  for (;;) {
    const account = `m${randomBytes(5).toString('hex')}`;
    if (!world.members.find(account, 0)) return account;
  }
};

export const findMember = (world: World, key: string, accountType: AccountType): MemberRecord => {
  const member = world.members.find(key, accountType);
  if (!member) throw userNotFound(key);
  return member;
};

/** Resolves every key or throws for the first unknown one (all-or-nothing batches). */
export const findAll = (world: World, keys: readonly string[], accountType: AccountType): MemberRecord[] =>
  keys.map((key) => findMember(world, key, accountType));

export const createMember = (world: World, input: NewMember): MemberRecord => {
  const deptCode = input.deptCode ?? ROOT_DEPT;
  world.depts.require(deptCode);
  world.members.assertFree(input.id, input.account, input.thirdAccount);
  const seq = world.members.nextSeq();
  const now = world.now();
  const member: MemberRecord = {
    id: input.id ?? randomUUID(),
    account: input.account ?? generateAccount(world),
    thirdAccount: input.thirdAccount,
    name: input.name,
    englishName: input.englishName,
    phone: input.phone,
    country: input.country ?? 'chinaPR',
    email: input.email,
    password: input.pwd,
    deptCode,
    signature: input.signature,
    title: input.title,
    desc: input.desc,
    status: input.status ?? 0,
    sortLevel: input.sortLevel ?? 10000,
    hidePhone: input.hidePhone ?? false,
    vmrId: input.vmrId || `9${String(seq).padStart(9, '0')}`,
    sipNum: `+99${String(seq).padStart(10, '0')}`,
    enableRoom: input.enableRoom ?? false,
    adminType: ADMIN_TYPE.none,
    seq,
    createdAt: now,
    updatedAt: now,
  };
  world.members.add(member);
  return member;
};

/** Omitted fields stay as they are (whether the real server resets deptCode is unconfirmed). */
export const updateMember = (world: World, member: MemberRecord, patch: MemberPatch): void => {
  if (patch.deptCode !== undefined) world.depts.require(patch.deptCode);
  if (patch.status === 1 && member.adminType === ADMIN_TYPE.default) throw protectedOwner('disabled');
  const clear = (v: string | undefined, old: string | undefined) => (v === undefined ? old : v || undefined);
  const phone = clear(patch.phone, member.phone);
  const email = clear(patch.email, member.email);
  if (!phone && !email) throw paramInvalid('phone or email: one is required');
  member.phone = phone;
  member.email = email;
  member.name = patch.name ?? member.name;
  member.englishName = clear(patch.englishName, member.englishName);
  member.country = patch.country ?? member.country;
  member.deptCode = patch.deptCode ?? member.deptCode;
  member.signature = clear(patch.signature, member.signature);
  member.title = clear(patch.title, member.title);
  member.desc = clear(patch.desc, member.desc);
  member.status = patch.status ?? member.status;
  member.sortLevel = patch.sortLevel ?? member.sortLevel;
  member.hidePhone = patch.hidePhone ?? member.hidePhone;
  member.vmrId = patch.vmrId || member.vmrId;
  member.updatedAt = world.now();
  world.members.touch();
};

/**
 * Batch enable/disable: every account must exist, else nothing changes. A member already in
 * that status is a no-op, or (alreadyDone 'code') refuses the whole batch.
 */
export const setMembersStatus = (
  world: World,
  keys: readonly string[],
  type: AccountType,
  status: 0 | 1,
): void => {
  const members = findAll(world, keys, type);
  const unchanged = members.find((m) => m.status === status);
  if (unchanged && world.behaviour.alreadyDone === 'code') {
    throw new SimError(
      400,
      ERROR_CODE.statusUnchanged,
      `user status is already ${status}: ${unchanged.account}`,
    );
  }
  if (status === 1 && members.some((m) => m.adminType === ADMIN_TYPE.default))
    throw protectedOwner('disabled');
  const now = world.now();
  for (const m of members) {
    m.status = status;
    m.updatedAt = now;
  }
  world.members.touch();
};

/**
 * Batch delete, all-or-nothing: any unknown account (unless alreadyDone 'ok': already deleted),
 * the default admin, or a member that still holds the admin role (revoke it first, docs/meeting-api.md §2.11) fails
 * the whole batch.
 */
export const deleteMembers = (world: World, keys: readonly string[], type: AccountType): void => {
  const members =
    world.behaviour.alreadyDone === 'ok'
      ? keys.flatMap((key) => world.members.find(key, type) ?? [])
      : findAll(world, keys, type);
  if (members.some((m) => m.adminType === ADMIN_TYPE.default)) throw protectedOwner('deleted');
  const admin = members.find((m) => m.adminType === ADMIN_TYPE.common);
  if (admin) {
    throw new SimError(
      400,
      ERROR_CODE.memberIsAdmin,
      `user is an administrator, remove the admin role first: ${admin.account}`,
    );
  }
  for (const m of members) {
    world.members.remove(m);
    world.tokens.revokeMember(m.id);
  }
};

export const addAdmin = (world: World, key: string, type: AccountType): void => {
  const member = findMember(world, key, type);
  // Granting twice is a no-op (or, alreadyDone 'code', refused), and the default admin stays default.
  if (member.adminType === ADMIN_TYPE.none) world.members.setAdminType(member, ADMIN_TYPE.common);
  else if (world.behaviour.alreadyDone === 'code') {
    throw new SimError(400, ERROR_CODE.notPlainMember, `the account is not an ordinary member: ${key}`);
  }
};

export const findAdmin = (world: World, key: string, type: AccountType): MemberRecord => {
  const member = findMember(world, key, type);
  if (member.adminType === ADMIN_TYPE.none) throw userNotFound(key);
  return member;
};

/**
 * Removes the admin role (members stay). All-or-nothing; non-admins are a no-op, or (alreadyDone
 * 'code') refuse the whole batch.
 */
export const deleteAdmins = (world: World, keys: readonly string[], type: AccountType): void => {
  const members = findAll(world, keys, type);
  if (members.some((m) => m.adminType === ADMIN_TYPE.default)) throw protectedOwner('removed');
  const plain = members.find((m) => m.adminType === ADMIN_TYPE.none);
  if (plain && world.behaviour.alreadyDone === 'code') {
    throw new SimError(400, ERROR_CODE.notAdmin, `the account is not an administrator: ${plain.account}`);
  }
  for (const m of members) world.members.setAdminType(m, ADMIN_TYPE.none);
};
