import { LIMITS } from './constants.js';
import { pageParams } from './member-handlers.js';
import * as ops from './member-ops.js';
import type { Handler } from './route-types.js';
import { page, searchAdmins } from './search.js';
import { accountTypeOf, asObject, reqStr, stringArray } from './validation.js';
import { adminView } from './views.js';

/** Current-dialect admin endpoints (docs/meeting-api.md §3). */

export const listAdmins: Handler = ({ world, query }) => {
  const { offset, limit } = pageParams(query);
  const result = page(
    searchAdmins(world, query.get('searchKey') || undefined),
    offset,
    limit,
    world.behaviour,
  );
  return { body: { ...result, data: result.data.map((m) => adminView(m, world.depts)) } };
};

export const getAdmin: Handler = ({ world, params, query }) => ({
  body: adminView(ops.findAdmin(world, params.account!, accountTypeOf(query)), world.depts),
});

/** Granting an existing admin again answers 200 (idempotent). */
export const addAdmin: Handler = ({ world, query, body }) => {
  ops.addAdmin(world, reqStr(asObject(body), 'account', 255), accountTypeOf(query));
  return {};
};

export const deleteAdmins: Handler = ({ world, query, body }) => {
  ops.deleteAdmins(world, stringArray(body, 1, LIMITS.adminDeleteMax), accountTypeOf(query));
  return {};
};
