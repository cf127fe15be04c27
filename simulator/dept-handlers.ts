import { type DeptInput, IN_PERMISSIONS, OUT_PERMISSIONS } from './dept-store.js';
import { paramInvalid } from './errors.js';
import type { Handler } from './route-types.js';
import { asObject, type Obj, optEnum, optInt, optStr, reqStr } from './validation.js';
import { deptBriefView, deptView, deptWithChildrenView } from './views.js';

/** Department endpoints (docs/meeting-api.md §4), shared by both dialects. */

const designated = (o: Obj): string[] | undefined => {
  const v = o.designatedOutDeptCodes;
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > 150 || v.some((c) => typeof c !== 'string' || c.length > 32)) {
    throw paramInvalid('designatedOutDeptCodes: up to 150 department codes');
  }
  return v as string[];
};

const deptFields = (o: Obj): DeptInput => ({
  parentDeptCode: optStr(o, 'parentDeptCode', 32) || undefined,
  note: optStr(o, 'note', 96),
  inPermission: optEnum(o, 'inPermission', IN_PERMISSIONS),
  outPermission: optEnum(o, 'outPermission', OUT_PERMISSIONS),
  designatedOutDeptCodes: designated(o),
  sortLevel: optInt(o, 'sortLevel', 1, 10000),
});

/** Answers `{"value": "<deptCode>"}`; the code is generated when absent. */
export const createDepartment: Handler = ({ world, body }) => {
  const o = asObject(body);
  const deptName = reqStr(o, 'deptName', 128);
  const deptCode = optStr(o, 'deptCode', 32, 1);
  const dept = world.depts.add({ ...deptFields(o), deptCode, deptName });
  return { body: { value: dept.deptCode } };
};

export const getDepartment: Handler = ({ world, params }) => ({
  body: deptBriefView(world.depts.require(params.code!), world.depts),
});

export const getDeptAndChildren: Handler = ({ world, params }) => ({
  body: deptWithChildrenView(world.depts.require(params.code!), world.depts),
});

/** Substring match, case-insensitive; an array (possibly empty). */
export const findDepartmentsByName: Handler = ({ world, query }) => {
  const deptName = query.get('deptName');
  if (!deptName || [...deptName].length > 128) throw paramInvalid('deptName: length must be 1-128');
  const key = deptName.toLowerCase();
  const found = [...world.depts.all()].filter((d) => d.deptName.toLowerCase().includes(key));
  return { body: found.map((d) => deptView(d, world.depts)) };
};

export const updateDepartment: Handler = ({ world, params, body }) => {
  const o = asObject(body);
  world.depts.update(params.code!, { ...deptFields(o), deptName: optStr(o, 'deptName', 128, 1) });
  return {};
};

/** Refused while the department has sub-departments or members. */
export const deleteDepartment: Handler = ({ world, params }) => {
  const code = params.code!;
  world.depts.require(code);
  let hasMembers = false;
  for (const m of world.members.all()) if (m.deptCode === code) hasMembers = true;
  world.depts.remove(code, hasMembers);
  return {};
};
