import { LIMITS } from './constants.js';
import { paramInvalid } from './errors.js';
import { parseMemberPatch, parseNewMember, parseStatusValue } from './member-input.js';
import * as ops from './member-ops.js';
import type { Handler } from './route-types.js';
import { type MemberFilter, page, SORT_FIELDS, type SortField, searchMembers } from './search.js';
import { accountTypeOf, asObject, queryBool, queryInt, reqStr, stringArray } from './validation.js';
import { detailView, memberSummaryView, memberView } from './views.js';

/** Current-dialect member endpoints (docs/meeting-api.md §2). */

export const createMember: Handler = ({ world, body }) => ({
  body: memberView(ops.createMember(world, parseNewMember(body, 'current')), world.depts),
});

export const getMember: Handler = ({ world, params, query }) => ({
  body: memberView(ops.findMember(world, params.account!, accountTypeOf(query)), world.depts),
});

export const updateMember: Handler = ({ world, params, query, body }) => {
  const member = ops.findMember(world, params.account!, accountTypeOf(query));
  ops.updateMember(world, member, parseMemberPatch(body, 'current'));
  return { body: memberView(member, world.depts) };
};

export const pageParams = (query: URLSearchParams) => ({
  offset: queryInt(query, 'offset', { min: 0, max: Number.MAX_SAFE_INTEGER, def: 0 })!,
  limit: queryInt(query, 'limit', { min: 1, max: LIMITS.pageMax, def: LIMITS.pageDefault })!,
});

const memberFilter = (query: URLSearchParams): MemberFilter => {
  const sortField = query.get('sortField') || undefined;
  if (sortField !== undefined && !SORT_FIELDS.includes(sortField as SortField)) {
    throw paramInvalid(`sortField: must be one of ${SORT_FIELDS.join(', ')}`);
  }
  const userTypes = query
    .getAll('userType')
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '')
    .map((v) => {
      if (!/^\d+$/.test(v)) throw paramInvalid('userType: integers are required');
      return Number(v);
    });
  return {
    searchKey: query.get('searchKey') || undefined,
    status: queryInt(query, 'status', { min: 0, max: 1 }),
    deptCode: query.get('deptCode') || undefined,
    enableSubDept: queryBool(query, 'enableSubDept', true),
    adminType: queryInt(query, 'adminType', { min: 1, max: 2 }),
    userTypes: userTypes.length > 0 ? userTypes : undefined,
    enableRoom: query.has('enableRoom') ? queryBool(query, 'enableRoom', false) : undefined,
    sortField: sortField as SortField | undefined,
    isAsc: queryBool(query, 'isAsc', true),
  };
};

export const listMembers: Handler = ({ world, query }) => {
  const { offset, limit } = pageParams(query);
  const result = page(searchMembers(world, memberFilter(query)), offset, limit, world.behaviour);
  return { body: { ...result, data: result.data.map((m) => memberSummaryView(m, world.depts)) } };
};

/** No documented maximum for status batches; the body cap bounds it. */
export const setMembersStatus: Handler = ({ world, params, query, body }) => {
  const status = parseStatusValue(params.value);
  ops.setMembersStatus(world, stringArray(body, 1, Number.MAX_SAFE_INTEGER), accountTypeOf(query), status);
  return {};
};

export const deleteMembers: Handler = ({ world, query, body }) => {
  ops.deleteMembers(world, stringArray(body, 1, LIMITS.batchDeleteMax), accountTypeOf(query));
  return {};
};

const ID_TYPES = ['USER_ID', 'THIRD_ACCOUNT'] as const;

/** Batch details (docs/meeting-api.md §2.8): 1-200 `{id}` items, statusCode 0 found / 2 does not exist. */
export const getMembersDetails: Handler = ({ world, query, body }) => {
  const idType = query.get('idType') || 'USER_ID';
  if (!ID_TYPES.includes(idType as (typeof ID_TYPES)[number])) {
    throw paramInvalid(`idType: must be one of ${ID_TYPES.join(', ')}`);
  }
  if (!Array.isArray(body) || body.length < 1 || body.length > LIMITS.batchDetailsMax) {
    throw paramInvalid(`body: a JSON array of 1-${LIMITS.batchDetailsMax} {"id"} items is required`);
  }
  const ids = body.map((item, i) => reqStr(asObject(item, `body[${i}]`), 'id', 64));
  const lookup = (id: string) =>
    idType === 'THIRD_ACCOUNT' ? world.members.byThirdAccount(id) : world.members.byId(id);
  return { body: ids.map((id) => detailView(id, lookup(id), world.depts)) };
};
