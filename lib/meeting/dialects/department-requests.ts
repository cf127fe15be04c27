import { MEETING_API } from '../api-names.js';
import type { Dialect } from './types.js';

/**
 * Department calls: both dialects serve them at the same paths below their own prefix
 * (docs/meeting-api.md §4; §7 [3P]: `.../corp/dept`, `.../member/dept/{code}`).
 */
export const departmentRequests = (
  prefix: string,
): Pick<Dialect, 'getDepartment' | 'findDepartmentsByName' | 'createDepartment'> => ({
  // ShowDeptAndChildDept: unlike /abs/departments it also returns parentDeptCode and deptNamePath.
  getDepartment: (deptCode) => ({
    api: MEETING_API.getDeptAndChildren,
    method: 'GET',
    path: `${prefix}/member/dept/${encodeURIComponent(deptCode)}`,
  }),
  findDepartmentsByName: (deptName) => ({
    api: MEETING_API.findDepartmentsByName,
    method: 'GET',
    path: `${prefix}/member/dept`,
    query: { deptName },
  }),
  createDepartment: (body) => ({
    api: MEETING_API.createDepartment,
    method: 'POST',
    path: `${prefix}/corp/dept`,
    body,
  }),
});
