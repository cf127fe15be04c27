import { ERROR_CODE, LIMITS, ROOT_DEPT } from './constants.js';
import { deptNotFound, paramInvalid, SimError } from './errors.js';

export const IN_PERMISSIONS = ['UNLIMITED', 'OPEN', 'CLOSE', 'DESIGNATED_DEPARTMENT'] as const;
export const OUT_PERMISSIONS = [
  'UNLIMITED',
  'ONLY_SELF',
  'SELF_AND_CHILD_DEPARTMENT',
  'DESIGNATED_DEPARTMENT',
] as const;

export interface DeptRecord {
  readonly deptCode: string;
  deptName: string;
  /** Undefined only for the root "1". */
  parentDeptCode: string | undefined;
  note: string;
  inPermission: string;
  outPermission: string;
  designatedOutDeptCodes: string[];
  sortLevel: number;
  /** Root is level 0; at most LIMITS.deptLevels below it. */
  level: number;
  readonly children: Set<string>;
}

export interface DeptInput {
  deptCode?: string;
  deptName?: string;
  parentDeptCode?: string;
  note?: string;
  inPermission?: string;
  outPermission?: string;
  designatedOutDeptCodes?: string[];
  sortLevel?: number;
}

const limit = (message: string) => new SimError(400, ERROR_CODE.deptLimit, message);

/** The department tree (docs/meeting-api.md §4): O(1) by code, children kept per parent. */
export class DeptStore {
  readonly #depts = new Map<string, DeptRecord>();
  #nextCode = 2;

  constructor(rootName: string) {
    this.#depts.set(ROOT_DEPT, {
      deptCode: ROOT_DEPT,
      deptName: rootName,
      parentDeptCode: undefined,
      note: '',
      inPermission: 'UNLIMITED',
      outPermission: 'UNLIMITED',
      designatedOutDeptCodes: [],
      sortLevel: 10000,
      level: 0,
      children: new Set(),
    });
  }

  get(code: string): DeptRecord | undefined {
    return this.#depts.get(code);
  }

  require(code: string): DeptRecord {
    const dept = this.#depts.get(code);
    if (!dept) throw deptNotFound(code);
    return dept;
  }

  all(): IterableIterator<DeptRecord> {
    return this.#depts.values();
  }

  add(input: DeptInput & { deptName: string }): DeptRecord {
    const parent = this.require(input.parentDeptCode ?? ROOT_DEPT);
    if (input.deptCode !== undefined && this.#depts.has(input.deptCode)) {
      throw new SimError(400, ERROR_CODE.deptAlreadyExists, `department already exists: ${input.deptCode}`);
    }
    if (this.#depts.size >= LIMITS.deptTotal)
      throw limit(`at most ${LIMITS.deptTotal} departments per enterprise`);
    this.#checkRoom(parent, 0);
    const deptCode = input.deptCode ?? this.#generateCode();
    const dept: DeptRecord = {
      deptCode,
      deptName: input.deptName,
      parentDeptCode: parent.deptCode,
      note: input.note ?? '',
      inPermission: input.inPermission ?? 'UNLIMITED',
      outPermission: input.outPermission ?? 'UNLIMITED',
      designatedOutDeptCodes: input.designatedOutDeptCodes ?? [],
      sortLevel: input.sortLevel ?? 10000,
      level: parent.level + 1,
      children: new Set(),
    };
    this.#depts.set(deptCode, dept);
    parent.children.add(deptCode);
    return dept;
  }

  update(code: string, input: DeptInput): void {
    const dept = this.require(code);
    const newParent = input.parentDeptCode;
    if (newParent !== undefined && newParent !== dept.parentDeptCode) {
      if (dept.parentDeptCode === undefined)
        throw paramInvalid('parentDeptCode: the root department cannot move');
      const parent = this.require(newParent);
      if (this.isWithin(newParent, code)) throw paramInvalid('parentDeptCode: cannot move under itself');
      this.#checkRoom(parent, this.#height(dept));
      this.require(dept.parentDeptCode).children.delete(code);
      parent.children.add(code);
      dept.parentDeptCode = newParent;
      this.#relevel(dept, parent.level + 1);
    }
    if (input.deptName !== undefined) dept.deptName = input.deptName;
    if (input.note !== undefined) dept.note = input.note;
    if (input.inPermission !== undefined) dept.inPermission = input.inPermission;
    if (input.outPermission !== undefined) dept.outPermission = input.outPermission;
    if (input.designatedOutDeptCodes !== undefined)
      dept.designatedOutDeptCodes = input.designatedOutDeptCodes;
    if (input.sortLevel !== undefined) dept.sortLevel = input.sortLevel;
  }

  /** Deleting a non-empty department is refused (real behaviour undocumented; the safe model). */
  remove(code: string, hasMembers: boolean): void {
    const dept = this.require(code);
    if (dept.parentDeptCode === undefined) {
      throw new SimError(400, ERROR_CODE.deptRootProtected, 'the root department cannot be deleted');
    }
    if (dept.children.size > 0 || hasMembers) {
      throw new SimError(400, ERROR_CODE.deptNotEmpty, `department is not empty: ${code}`);
    }
    this.#depts.get(dept.parentDeptCode)?.children.delete(code);
    this.#depts.delete(code);
  }

  /** True if `code` is `ancestor` or lies below it. O(depth). */
  isWithin(code: string, ancestor: string): boolean {
    for (
      let d = this.#depts.get(code);
      d;
      d = d.parentDeptCode ? this.#depts.get(d.parentDeptCode) : undefined
    ) {
      if (d.deptCode === ancestor) return true;
    }
    return false;
  }

  /** Root-first chain of the department and its ancestors. */
  chain(code: string): DeptRecord[] {
    const out: DeptRecord[] = [];
    for (
      let d = this.#depts.get(code);
      d;
      d = d.parentDeptCode ? this.#depts.get(d.parentDeptCode) : undefined
    ) {
      out.unshift(d);
    }
    return out;
  }

  #checkRoom(parent: DeptRecord, subtreeHeight: number): void {
    if (parent.children.size >= LIMITS.deptChildren) {
      throw limit(`at most ${LIMITS.deptChildren} sub-departments per department`);
    }
    if (parent.level + 1 + subtreeHeight > LIMITS.deptLevels) {
      throw limit(`at most ${LIMITS.deptLevels} department levels`);
    }
  }

  #height(dept: DeptRecord): number {
    let max = 0;
    for (const child of dept.children) max = Math.max(max, 1 + this.#height(this.#depts.get(child)!));
    return max;
  }

  #relevel(dept: DeptRecord, level: number): void {
    dept.level = level;
    for (const child of dept.children) this.#relevel(this.#depts.get(child)!, level + 1);
  }

  #generateCode(): string {
    while (this.#depts.has(String(this.#nextCode))) this.#nextCode++;
    return String(this.#nextCode++);
  }
}
