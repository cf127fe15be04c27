import { LIMITS } from './constants.js';
import { parseMemberPatch, parseNewMember, parseStatusValue } from './member-input.js';
import * as ops from './member-ops.js';
import type { Handler } from './route-types.js';
import { page, searchAdmins, searchMembers } from './search.js';
import { ACCOUNT_TYPE, asObject, type Obj, optInt, optStr, reqStr, stringArray } from './validation.js';
import { adminView, legacyMemberView } from './views.js';

/**
 * Legacy "datacenter" member/admin endpoints (docs/meeting-api.md §7). Same state and rules as the
 * current API; paged searches take a JSON body, and there is no thirdAccount, so every
 * account is a Meeting account. The server wraps replies in the returnCode envelope.
 */

const MEETING = ACCOUNT_TYPE.meetingAccount;

export const createMember: Handler = ({ world, body }) => ({
  body: legacyMemberView(ops.createMember(world, parseNewMember(body, 'legacy')), world.depts),
});

export const getMember: Handler = ({ world, params }) => ({
  body: legacyMemberView(ops.findMember(world, params.account!, MEETING), world.depts),
});

/** Legacy modify answers an envelope without data. */
export const updateMember: Handler = ({ world, params, body }) => {
  ops.updateMember(world, ops.findMember(world, params.account!, MEETING), parseMemberPatch(body, 'legacy'));
  return {};
};

const searchBody = (body: unknown): { o: Obj; offset: number; limit: number; searchKey?: string } => {
  const o = body === undefined ? {} : asObject(body);
  return {
    o,
    offset: optInt(o, 'offset', 0, Number.MAX_SAFE_INTEGER) ?? 0,
    limit: optInt(o, 'limit', 1, LIMITS.pageMax) ?? LIMITS.pageDefault,
    searchKey: optStr(o, 'searchKey', 255) || undefined,
  };
};

export const listMembers: Handler = ({ world, body }) => {
  const { o, offset, limit, searchKey } = searchBody(body);
  const filter = {
    searchKey,
    status: optInt(o, 'status', 0, 1),
    deptCode: optStr(o, 'deptCode', 32) || undefined,
  };
  const result = page(searchMembers(world, filter), offset, limit, world.behaviour);
  return { body: { ...result, data: result.data.map((m) => legacyMemberView(m, world.depts)) } };
};

export const setMembersStatus: Handler = ({ world, params, body }) => {
  const status = parseStatusValue(params.value);
  ops.setMembersStatus(world, stringArray(body, 1, Number.MAX_SAFE_INTEGER), MEETING, status);
  return {};
};

export const deleteMembers: Handler = ({ world, body }) => {
  ops.deleteMembers(world, stringArray(body, 1, LIMITS.batchDeleteMax), MEETING);
  return {};
};

export const listAdmins: Handler = ({ world, body }) => {
  const { offset, limit, searchKey } = searchBody(body);
  const result = page(searchAdmins(world, searchKey), offset, limit, world.behaviour);
  return { body: { ...result, data: result.data.map((m) => adminView(m, world.depts)) } };
};

export const getAdmin: Handler = ({ world, params }) => ({
  body: adminView(ops.findAdmin(world, params.account!, MEETING), world.depts),
});

export const addAdmin: Handler = ({ world, body }) => {
  ops.addAdmin(world, reqStr(asObject(body), 'account', 255), MEETING);
  return {};
};

export const deleteAdmins: Handler = ({ world, body }) => {
  ops.deleteAdmins(world, stringArray(body, 1, LIMITS.adminDeleteMax), MEETING);
  return {};
};
