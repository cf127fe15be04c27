import type { MemberFields } from '../../events/schemas.js';
import { buildMember } from '../canonical.js';
import { type FieldMapping, readField } from '../field-map.js';
import { EMPLOYMENT_STATE, type EmploymentState } from '../types.js';
import type { FeishuUser } from './payload.js';

export interface FeishuMapping {
  readonly fields: FieldMapping;
  /** A suspended (frozen) account counts as a leaver: access is removed at once. */
  readonly frozenIsTerminated: boolean;
}

/**
 * Left: resigned, or exited (left on their own; Feishu turns that into resigned later), or
 * frozen when so configured. Not yet joined or activated still counts as hired.
 */
export const feishuState = (user: FeishuUser, mapping: FeishuMapping): EmploymentState => {
  const status = user.status ?? {};
  const left =
    status.is_resigned === true ||
    status.is_exited === true ||
    (mapping.frozenIsTerminated && status.is_frozen === true);
  return left ? EMPLOYMENT_STATE.terminated : EMPLOYMENT_STATE.active;
};

export const feishuMember = (user: FeishuUser, employeeId: string, mapping: FeishuMapping): MemberFields =>
  buildMember('feishu', employeeId, {
    name: readField(user, ['name']),
    englishName: readField(user, ['en_name']),
    email: readField(user, mapping.fields.email),
    account: readField(user, mapping.fields.account),
    deptCode: readField(user, mapping.fields.deptCode),
    title: readField(user, mapping.fields.title),
  });
