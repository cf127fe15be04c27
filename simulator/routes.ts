import * as admins from './admin-handlers.js';
import * as auth from './auth-handlers.js';
import { API } from './constants.js';
import * as depts from './dept-handlers.js';
import * as legacy from './legacy-handlers.js';
import * as members from './member-handlers.js';
import type { Handler, RouteDef } from './route-types.js';

/** Every endpoint the simulator serves, with its logical API name (counters, faults.apis). */

const V1 = '/v1/usg/dcs';
const LEGACY = '/rest/usg/datacenter/v1';

type Def = Omit<RouteDef, 'dialect' | 'auth'> & Partial<Pick<RouteDef, 'auth'>>;

const current = (d: Def): RouteDef => ({ auth: 'token', ...d, dialect: 'current' });
const old = (d: Def): RouteDef => ({ auth: 'token', ...d, dialect: 'legacy' });

/**
 * Endpoints both dialects serve at the same path below their own prefix, each by the handler
 * named after its API (docs/meeting-api.md §2-§4, §7; only the default admin may grant or
 * revoke the admin role, docs/meeting-api.md §3).
 */
const BOTH_DIALECTS = [
  { method: 'POST', path: '/corp/member', api: API.createMember },
  { method: 'GET', path: '/corp/member/:account', api: API.getMember },
  { method: 'PUT', path: '/corp/member/:account', api: API.updateMember },
  { method: 'PUT', path: '/corp/member/status/:value', api: API.setMembersStatus },
  { method: 'POST', path: '/corp/member/delete', api: API.deleteMembers },
  { method: 'GET', path: '/corp/admin/:account', api: API.getAdmin },
  { method: 'POST', path: '/corp/admin', api: API.addAdmin, role: 'owner' },
  { method: 'POST', path: '/corp/admin/delete', api: API.deleteAdmins, role: 'owner' },
  { method: 'POST', path: '/corp/dept', api: API.createDepartment },
  { method: 'GET', path: '/member/dept/:code', api: API.getDeptAndChildren },
  { method: 'GET', path: '/member/dept', api: API.findDepartmentsByName },
  { method: 'PUT', path: '/corp/dept/:code', api: API.updateDepartment },
  { method: 'DELETE', path: '/corp/dept/:code', api: API.deleteDepartment },
] as const satisfies readonly Omit<Def, 'handler'>[];

const bothDialects = (
  route: (d: Def) => RouteDef,
  prefix: string,
  handlers: Record<(typeof BOTH_DIALECTS)[number]['api'], Handler>,
): RouteDef[] =>
  BOTH_DIALECTS.map((d) => route({ ...d, path: `${prefix}${d.path}`, handler: handlers[d.api] }));

export const ROUTES: readonly RouteDef[] = [
  // docs/meeting-api.md §1 tokens
  current({
    method: 'POST',
    path: '/v1/usg/acs/auth/account',
    api: API.authAccount,
    auth: 'none',
    handler: auth.authAccount,
  }),
  current({
    method: 'POST',
    path: '/v2/usg/acs/auth/appauth',
    api: API.authAppId,
    auth: 'none',
    handler: auth.authAppId,
  }),
  current({
    method: 'PUT',
    path: '/v1/usg/acs/token',
    api: API.refreshToken,
    auth: 'none',
    handler: auth.refreshToken,
  }),
  current({
    method: 'POST',
    path: '/v1/usg/acs/token/validate',
    api: API.validateToken,
    auth: 'none',
    handler: auth.validateToken,
  }),
  current({
    method: 'DELETE',
    path: '/v1/usg/acs/token',
    api: API.logout,
    auth: 'none',
    handler: auth.logout,
  }),
  // docs/meeting-api.md §2-§4: listings and reads only the current dialect has
  current({ method: 'GET', path: `${V1}/corp/member`, api: API.listMembers, handler: members.listMembers }),
  current({
    method: 'POST',
    path: '/v1/usg/abs/users/list',
    api: API.getMembersDetails,
    handler: members.getMembersDetails,
  }),
  current({ method: 'GET', path: `${V1}/corp/admin`, api: API.listAdmins, handler: admins.listAdmins }),
  current({
    method: 'GET',
    path: '/v1/usg/abs/departments/:code',
    api: API.getDepartment,
    handler: depts.getDepartment,
  }),
  ...bothDialects(current, V1, { ...members, ...admins, ...depts }),
  // docs/meeting-api.md §7 legacy dialect: its login and its searches by POST
  old({
    method: 'PUT',
    path: '/rest/usg/sso/v1/auth/account',
    api: API.authLegacy,
    auth: 'none',
    handler: auth.authLegacy,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/member/search`,
    api: API.listMembers,
    handler: legacy.listMembers,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/admin/search`,
    api: API.listAdmins,
    handler: legacy.listAdmins,
  }),
  ...bothDialects(old, LEGACY, { ...legacy, ...depts }),
];
