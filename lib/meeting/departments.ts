import { z } from 'zod';
import { ERROR_KIND, isMeetingError } from '../http/errors.js';
import { responseError } from '../http/wire.js';
import { MEETING_API } from './api-names.js';
import { type ClientContext, callContext } from './context.js';
import {
  type AddDepartmentInput,
  addDepartmentSchema,
  createdDepartmentSchema,
  type Department,
  departmentListSchema,
  departmentWithChildrenSchema,
} from './schemas.js';
import type { CallOptions } from './types.js';
import { parseResponse, parseWith, validateRequest } from './validate.js';

const deptCodeSchema = z.lazy(() => z.string().min(1).max(32));
const deptNameSchema = z.lazy(() => z.string().min(1).max(128));

/**
 * A business refusal that may mean "no such department" (its code is unconfirmed): a 400, or a
 * legacy returnCode (HTTP 200). Our own validation errors carry neither and do not qualify.
 */
const maybeMissing = (error: unknown): boolean =>
  isMeetingError(error, ERROR_KIND.notFound) ||
  (isMeetingError(error, ERROR_KIND.permanent) &&
    (error.status === 400 || (error.status === 200 && !!error.errorCode)));

/** Department calls of docs/meeting-api.md §4 (there is no paged listing, §8 D16). */
export const departmentOperations = (context: ClientContext) => {
  const { caller, dialect } = context;

  const getDepartment = async (
    deptCode: string,
    options?: CallOptions,
  ): Promise<Department & { deptCode: string; childDepts?: Department[] }> => {
    validateRequest(MEETING_API.getDeptAndChildren, deptCodeSchema, deptCode);
    const department = await caller.call(
      dialect.getDepartment(deptCode),
      parseWith(MEETING_API.getDeptAndChildren, departmentWithChildrenSchema),
      callContext(options),
    );
    // An answer is about the department we asked for, whether or not it repeats the code.
    return { ...department, deptCode: department.deptCode ?? deptCode };
  };

  const findDepartmentsByName = async (deptName: string, options?: CallOptions): Promise<Department[]> => {
    validateRequest(MEETING_API.findDepartmentsByName, deptNameSchema, deptName);
    return caller.call(
      dialect.findDepartmentsByName(deptName),
      parseWith(MEETING_API.findDepartmentsByName, departmentListSchema),
      callContext(options),
    );
  };

  const createDepartment = async (input: AddDepartmentInput, options?: CallOptions): Promise<string> => {
    const body = validateRequest(MEETING_API.createDepartment, addDepartmentSchema, input);
    return caller.call(
      dialect.createDepartment(body),
      (payload, meta) => {
        // `value` is the new code; we need it only when we let the server choose one.
        const created = parseResponse(
          MEETING_API.createDepartment,
          createdDepartmentSchema,
          payload ?? {},
          meta,
        );
        const code = created.value || body.deptCode;
        if (code) return code;
        throw responseError(MEETING_API.createDepartment, 'value: the new department code is missing', meta);
      },
      callContext(options),
    );
  };

  /**
   * Get-or-create by code. The department "not found" / "already exists" codes are
   * unconfirmed (docs/meeting-api.md §5.2 lists only member codes), so this branches on HTTP
   * status: a 400 on read means "maybe missing", and a failed create is settled by reading
   * again (a concurrent creator may have won the race).
   */
  const ensureDepartment = async (
    input: AddDepartmentInput & { deptCode: string },
    options?: CallOptions,
  ): Promise<string> => {
    try {
      return (await getDepartment(input.deptCode, options)).deptCode;
    } catch (error) {
      if (!maybeMissing(error)) throw error;
    }
    try {
      return await createDepartment(input, options);
    } catch (createError) {
      if (!maybeMissing(createError) && !isMeetingError(createError, ERROR_KIND.alreadyExists))
        throw createError;
      try {
        return (await getDepartment(input.deptCode, options)).deptCode;
      } catch {
        throw createError;
      }
    }
  };

  return { getDepartment, findDepartmentsByName, createDepartment, ensureDepartment };
};
