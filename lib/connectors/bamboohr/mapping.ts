import type { MemberFields } from '../../events/schemas.js';
import { buildMember } from '../canonical.js';
import { type FieldMapping, readField, topLevelFields } from '../field-map.js';
import { EMPLOYMENT_STATE, type EmploymentState } from '../types.js';
import type { BambooHrEmployee } from './payload.js';

export interface BambooHrMapping {
  readonly fields: FieldMapping;
  /** Employment statuses (the `employmentHistoryStatus` field) that mean the person has left. */
  readonly terminatedStatuses: readonly string[];
}

/** Defaults: the Meeting account is the employee id, the department the root (docs/connectors.md). */
export const BAMBOOHR_DEFAULT_FIELDS: FieldMapping = { title: ['jobTitle'], email: ['workEmail'] };

/** Fields the connector always reads, whatever the mapping. */
const BASE_FIELDS = [
  'firstName',
  'lastName',
  'preferredName',
  'displayName',
  'status',
  'employmentHistoryStatus',
  'hireDate',
];

/**
 * changedFields entries that mean the employment status itself changed. The aliases are the
 * ones the field list and the API use; whether monitor-field aliases match them is unconfirmed.
 */
const STATUS_FIELDS = new Set([
  'status',
  'employmentHistoryStatus',
  'employmentStatus',
  'hireDate',
  'terminationDate',
]);

export const isStatusField = (name: string): boolean => STATUS_FIELDS.has(name);

/** The `fields` query of the record read. */
export const requestedFields = (mapping: BambooHrMapping): string[] => [
  ...new Set([...BASE_FIELDS, ...topLevelFields(mapping.fields)]),
];

/**
 * Left the company: the record is `Inactive`, or the current employment status is one of the
 * terminated ones. `terminationDate` alone is not used: it is kept after a rehire.
 */
export const bambooHrState = (record: BambooHrEmployee, mapping: BambooHrMapping): EmploymentState => {
  const status = readField(record, ['status']);
  const employment = readField(record, ['employmentHistoryStatus']);
  const terminated =
    status?.toLowerCase() === 'inactive' ||
    (employment !== undefined &&
      mapping.terminatedStatuses.some((s) => s.toLowerCase() === employment.toLowerCase()));
  return terminated ? EMPLOYMENT_STATE.terminated : EMPLOYMENT_STATE.active;
};

/** The member fields of a record: preferred (else first) name and last name, then the mapping. */
export const bambooHrMember = (
  record: BambooHrEmployee,
  employeeId: string,
  mapping: BambooHrMapping,
): MemberFields => {
  const given = readField(record, ['preferredName', 'firstName']);
  const family = readField(record, ['lastName']);
  const name = [given, family].filter(Boolean).join(' ') || readField(record, ['displayName']);
  return buildMember('bamboohr', employeeId, {
    name,
    email: readField(record, mapping.fields.email),
    account: readField(record, mapping.fields.account),
    deptCode: readField(record, mapping.fields.deptCode),
    title: readField(record, mapping.fields.title),
  });
};

/** A hire date still ahead (YYYY-MM-DD, taken as 00:00 UTC): the hire is applied on that day. */
export const bambooHrEffectiveAt = (record: BambooHrEmployee, now: number): string | undefined => {
  const hireDate = readField(record, ['hireDate']);
  if (!hireDate || !/^\d{4}-\d{2}-\d{2}$/.test(hireDate)) return undefined;
  const at = Date.parse(`${hireDate}T00:00:00Z`);
  return Number.isFinite(at) && at > now ? new Date(at).toISOString() : undefined;
};
