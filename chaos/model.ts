import { type HrEvent, TYPE_IMPLIES } from '../lib/events/schemas.js';
import type { MemberProfile } from '../lib/store/types.js';

/**
 * Expected Meeting state, computed from HR events alone, never by calling lib/lifecycle. The
 * rule (docs/design.md, "Per-aspect convergence") makes it independent of the arrival order:
 * - each aspect follows the newest event (highest version) that speaks about it: the profile
 *   (every event), the employment status (stated, or implied by hire/rehire/termination), the
 *   admin role (stated, or implied by grant/revoke/termination);
 * - an employee whose status no event states is active (any event implies the person exists);
 * - a leaver never holds the admin role; a rehire regains it only from a grant newer than the
 *   termination.
 * Active: an enabled member with the newest profile and the admin role HR says. Terminated: no
 * enabled member; one that exists is disabled, without the admin role, with the newest profile.
 */

/** The member fields an event states: the same shape the store keeps per employee. */
export type Profile = MemberProfile;

export const PROFILE_FIELDS = [
  'name',
  'englishName',
  'email',
  'phone',
  'country',
  'title',
  'deptCode',
] as const;

export interface ExpectedMember {
  readonly enabled: boolean;
  readonly admin: boolean;
  readonly profile: Profile;
}

const ROOT_DEPT = '1';

const profileOf = (event: HrEvent): Profile => {
  const out: Record<string, string> = {};
  for (const field of PROFILE_FIELDS) {
    const value = event.member[field];
    if (value !== undefined && value !== '') out[field] = value;
  }
  // The lifecycle always sends deptCode (the root when HR gives none).
  out.deptCode = event.member.deptCode ?? ROOT_DEPT;
  return out as unknown as Profile;
};

/** The newest event that states something about an aspect: its version and what it says. */
const newest = <T>(
  events: readonly HrEvent[],
  stated: (e: HrEvent) => T | undefined,
): { version: number; value: T } | undefined => {
  let best: { version: number; value: T } | undefined;
  for (const event of events) {
    const value = stated(event);
    if (value !== undefined && (!best || event.version > best.version))
      best = { version: event.version, value };
  }
  return best;
};

const statusOf = (e: HrEvent) => e.status ?? TYPE_IMPLIES[e.type].status;

export interface HrTruth {
  readonly terminated: boolean;
  readonly admin: boolean;
  readonly profile: Profile;
}

/** HR's word on one employee, from the set of its events (order and duplicates do not matter). */
export const hrTruth = (events: readonly HrEvent[]): HrTruth | undefined => {
  const profile = newest(events, profileOf)?.value;
  if (!profile) return undefined;
  const terminated = newest(events, statusOf)?.value === 'terminated';
  // Any event that says the employee left (a termination, or an update stating it) ends the
  // role: only a grant newer than every such event counts.
  const lastLeft = Math.max(-1, ...events.filter((e) => statusOf(e) === 'terminated').map((e) => e.version));
  const role = newest(events, (e) => e.admin ?? TYPE_IMPLIES[e.type].admin);
  const admin = role?.value === true && role.version > lastLeft;
  return { terminated, admin: admin && !terminated, profile };
};

/** What Meeting must hold for one employee (for a leaver: the member if it exists). */
export const expectedMember = (events: readonly HrEvent[]): ExpectedMember | undefined => {
  const truth = hrTruth(events);
  return truth && { enabled: !truth.terminated, admin: truth.admin, profile: truth.profile };
};

/** Absent and empty are the same to Meeting; a country HR does not give is Meeting's default. */
export const sameProfile = (expected: Profile, actual: Profile): boolean =>
  PROFILE_FIELDS.every(
    (f) =>
      (f === 'country' && expected.country === undefined) ||
      (expected[f] || undefined) === (actual[f] || undefined),
  );

export const sameMember = (a: ExpectedMember | undefined, b: ExpectedMember | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : a.enabled === b.enabled && a.admin === b.admin && sameProfile(a.profile, b.profile);

/** Whether Meeting's state for this employee is what HR says. A leaver may have no member at all. */
export const meetsHr = (events: readonly HrEvent[], actual: ExpectedMember | undefined): boolean => {
  const expected = expectedMember(events);
  if (expected && !expected.enabled && actual === undefined) return true;
  return sameMember(expected, actual);
};
