import type { EventType, HrEvent, MemberFields } from '../lib/events/schemas.js';

/**
 * Builds HR events the way an HR system would send them: a fresh id, a version that only
 * grows, and the employee's full current fields. Shared by the demo, tests, bench and chaos.
 */
export const createHrEventFactory = (options: { idPrefix?: string; startVersion?: number } = {}) => {
  let sequence = 0;
  let version = options.startVersion ?? Date.now();
  const prefix = options.idPrefix ?? 'evt';
  return (
    type: EventType,
    employeeId: string,
    member: MemberFields,
    extra: { effectiveAt?: string; version?: number; id?: string } = {},
  ): HrEvent => {
    version += 1;
    sequence += 1;
    return {
      id: extra.id ?? `${prefix}-${sequence}`,
      type,
      employeeId,
      version: extra.version ?? version,
      occurredAt: new Date().toISOString(),
      ...(extra.effectiveAt && { effectiveAt: extra.effectiveAt }),
      member,
    } as HrEvent;
  };
};

/** Plausible member fields for employee `n` (ASCII account, unicode-safe name). */
export const sampleMember = (
  employeeId: string,
  n: number,
  overrides: Partial<MemberFields> = {},
): MemberFields => ({
  name: `Employee ${n}`,
  email: `${employeeId.toLowerCase()}@corp.example`,
  phone: `+86138${String(10_000_000 + n).slice(-8)}`,
  country: 'chinaPR',
  ...overrides,
});
