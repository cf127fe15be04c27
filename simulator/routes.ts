import * as admins from './admin-handlers.js';
import * as auth from './auth-handlers.js';
import { API } from './constants.js';
import * as depts from './dept-handlers.js';
import * as legacy from './legacy-handlers.js';
import * as members from './member-handlers.js';
import type { RouteDef } from './route-types.js';

/** Every endpoint the simulator serves, with its logical API name (counters, faults.apis). */

const V1 = '/v1/usg/dcs';
const LEGACY = '/rest/usg/datacenter/v1';

type Def = Omit<RouteDef, 'dialect' | 'auth'> & Partial<Pick<RouteDef, 'auth'>>;

const current = (d: Def): RouteDef => ({ auth: 'token', ...d, dialect: 'current' });
const old = (d: Def): RouteDef => ({ auth: 'token', ...d, dialect: 'legacy' });

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
  // docs/meeting-api.md §2 members
  current({
    method: 'POST',
    path: `${V1}/corp/member`,
    api: API.createMember,
    handler: members.createMember,
  }),
  current({ method: 'GET', path: `${V1}/corp/member`, api: API.listMembers, handler: members.listMembers }),
  current({
    method: 'GET',
    path: `${V1}/corp/member/:account`,
    api: API.getMember,
    handler: members.getMember,
  }),
  current({
    method: 'PUT',
    path: `${V1}/corp/member/:account`,
    api: API.updateMember,
    handler: members.updateMember,
  }),
  current({
    method: 'PUT',
    path: `${V1}/corp/member/status/:value`,
    api: API.setMembersStatus,
    handler: members.setMembersStatus,
  }),
  current({
    method: 'POST',
    path: `${V1}/corp/member/delete`,
    api: API.deleteMembers,
    handler: members.deleteMembers,
  }),
  current({
    method: 'POST',
    path: '/v1/usg/abs/users/list',
    api: API.getMembersDetails,
    handler: members.getMembersDetails,
  }),
  // docs/meeting-api.md §3 admins (only the default admin may grant or revoke)
  current({ method: 'GET', path: `${V1}/corp/admin`, api: API.listAdmins, handler: admins.listAdmins }),
  current({ method: 'GET', path: `${V1}/corp/admin/:account`, api: API.getAdmin, handler: admins.getAdmin }),
  current({
    method: 'POST',
    path: `${V1}/corp/admin`,
    api: API.addAdmin,
    role: 'owner',
    handler: admins.addAdmin,
  }),
  current({
    method: 'POST',
    path: `${V1}/corp/admin/delete`,
    api: API.deleteAdmins,
    role: 'owner',
    handler: admins.deleteAdmins,
  }),
  // docs/meeting-api.md §4 departments
  current({
    method: 'POST',
    path: `${V1}/corp/dept`,
    api: API.createDepartment,
    handler: depts.createDepartment,
  }),
  current({
    method: 'GET',
    path: '/v1/usg/abs/departments/:code',
    api: API.getDepartment,
    handler: depts.getDepartment,
  }),
  current({
    method: 'GET',
    path: `${V1}/member/dept/:code`,
    api: API.getDeptAndChildren,
    handler: depts.getDeptAndChildren,
  }),
  current({
    method: 'GET',
    path: `${V1}/member/dept`,
    api: API.findDepartmentsByName,
    handler: depts.findDepartmentsByName,
  }),
  current({
    method: 'PUT',
    path: `${V1}/corp/dept/:code`,
    api: API.updateDepartment,
    handler: depts.updateDepartment,
  }),
  current({
    method: 'DELETE',
    path: `${V1}/corp/dept/:code`,
    api: API.deleteDepartment,
    handler: depts.deleteDepartment,
  }),
  // docs/meeting-api.md §7 legacy dialect
  old({
    method: 'PUT',
    path: '/rest/usg/sso/v1/auth/account',
    api: API.authLegacy,
    auth: 'none',
    handler: auth.authLegacy,
  }),
  old({ method: 'POST', path: `${LEGACY}/corp/member`, api: API.createMember, handler: legacy.createMember }),
  old({
    method: 'GET',
    path: `${LEGACY}/corp/member/:account`,
    api: API.getMember,
    handler: legacy.getMember,
  }),
  old({
    method: 'PUT',
    path: `${LEGACY}/corp/member/:account`,
    api: API.updateMember,
    handler: legacy.updateMember,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/member/search`,
    api: API.listMembers,
    handler: legacy.listMembers,
  }),
  old({
    method: 'PUT',
    path: `${LEGACY}/corp/member/status/:value`,
    api: API.setMembersStatus,
    handler: legacy.setMembersStatus,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/member/delete`,
    api: API.deleteMembers,
    handler: legacy.deleteMembers,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/admin/search`,
    api: API.listAdmins,
    handler: legacy.listAdmins,
  }),
  old({ method: 'GET', path: `${LEGACY}/corp/admin/:account`, api: API.getAdmin, handler: legacy.getAdmin }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/admin`,
    api: API.addAdmin,
    role: 'owner',
    handler: legacy.addAdmin,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/admin/delete`,
    api: API.deleteAdmins,
    role: 'owner',
    handler: legacy.deleteAdmins,
  }),
  old({
    method: 'POST',
    path: `${LEGACY}/corp/dept`,
    api: API.createDepartment,
    handler: depts.createDepartment,
  }),
  old({
    method: 'GET',
    path: `${LEGACY}/member/dept/:code`,
    api: API.getDeptAndChildren,
    handler: depts.getDeptAndChildren,
  }),
  old({
    method: 'GET',
    path: `${LEGACY}/member/dept`,
    api: API.findDepartmentsByName,
    handler: depts.findDepartmentsByName,
  }),
  old({
    method: 'PUT',
    path: `${LEGACY}/corp/dept/:code`,
    api: API.updateDepartment,
    handler: depts.updateDepartment,
  }),
  old({
    method: 'DELETE',
    path: `${LEGACY}/corp/dept/:code`,
    api: API.deleteDepartment,
    handler: depts.deleteDepartment,
  }),
];
