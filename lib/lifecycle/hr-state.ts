import { type HrEvent, TYPE_IMPLIES } from '../events/schemas.js';
import {
  type AspectName,
  EMPLOYMENT,
  type EmployeeRecord,
  type Employment,
  type HrState,
  type MemberProfile,
} from '../store/types.js';
import { memberProfileOf } from './member-mapping.js';

/**
 * Per-aspect convergence (docs/design.md): HR's word on an employee is three last-writer-wins
 * registers (profile, employment, admin role). An event moves only the aspects it speaks about,
 * and only when its version is newer than that aspect's, so the final state is the same whatever
 * order the events arrive in, with duplicates or gaps.
 */

/**
 * What an event says about each aspect: a stated field, else what its type implies, else
 * nothing. Any event that says the employee left (a termination, or an update stating
 * `terminated`) also says the role is gone, so only a newer grant can bring it back.
 */
export const statedBy = (
  event: HrEvent,
): { profile: MemberProfile; employment?: Employment; admin?: boolean } => {
  const implied = TYPE_IMPLIES[event.type];
  const employment = event.status ?? implied.status;
  const admin = event.admin ?? implied.admin ?? (employment === EMPLOYMENT.terminated ? false : undefined);
  return {
    profile: memberProfileOf(event),
    ...(employment !== undefined && { employment }),
    ...(admin !== undefined && { admin }),
  };
};

const PROFILE_FIELDS = ['name', 'englishName', 'email', 'phone', 'country', 'title', 'deptCode'] as const;

export const sameProfile = (a: MemberProfile, b: MemberProfile): boolean =>
  PROFILE_FIELDS.every((field) => a[field] === b[field]);

export interface Merge {
  readonly hr: HrState;
  /** The aspects this event moved forward; empty = a duplicate or a stale event. */
  readonly advanced: readonly AspectName[];
}

/** Folds one event into what HR said before (pure). */
export const mergeEvent = (
  record: Pick<EmployeeRecord, 'hr' | 'floorVersion'> | undefined,
  event: HrEvent,
): Merge => {
  const hr: HrState = record?.hr ?? {};
  const floor = record?.floorVersion ?? -1;
  const stated = statedBy(event);
  const next: { -readonly [K in AspectName]?: HrState[K] } = { ...hr };
  const advanced: AspectName[] = [];
  const at = { version: event.version, eventId: event.id };
  const newer = (name: AspectName) => event.version > Math.max(hr[name]?.version ?? -1, floor);
  if (newer('profile')) {
    next.profile = { value: stated.profile, ...at };
    advanced.push('profile');
  }
  if (stated.employment !== undefined && newer('employment')) {
    next.employment = { value: stated.employment, ...at };
    advanced.push('employment');
  }
  if (stated.admin !== undefined && newer('admin')) {
    next.admin = { value: stated.admin, ...at };
    advanced.push('admin');
  }
  return { hr: next, advanced };
};

/** The state Meeting should be in, from HR's word. */
export interface Target {
  readonly employment: Employment;
  /** undefined: HR has not spoken about the role, leave it as it is. */
  readonly admin: boolean | undefined;
}

/**
 * An employee we hear of but whose employment no event has stated yet is taken to be active
 * (any event implies the person exists in HR). Terminations always win over the admin role:
 * a leaver never holds it, and a rehire regains it only if a grant newer than the termination
 * says so (the termination itself stated admin=false).
 */
export const targetOf = (hr: HrState): Target => {
  const employment = hr.employment?.value ?? EMPLOYMENT.active;
  return { employment, admin: employment === EMPLOYMENT.active ? hr.admin?.value : false };
};
