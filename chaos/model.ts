import { EVENT_TYPES, type HrEvent } from '../lib/events/schemas.js';
import type { MemberProfile } from '../lib/store/types.js';

/**
 * Expected Meeting state, computed from HR events alone with the rules of lib/lifecycle
 * (apply-event.ts), never by calling it:
 * - events are applied per employee in arrival order; one not newer than the last applied
 *   version is skipped (so late and duplicate events change nothing);
 * - hire/rehire create (or adopt) the member, enable it and write the profile;
 * - an update writes the profile and keeps the status: it never re-enables a leaver, never
 *   touches someone whose record says deleted, and creates the member only for an unknown employee;
 * - a termination disables (and revokes admin rights); for an unknown employee it creates nothing;
 * - an admin grant creates an unknown employee's member; for an offboarded one it is a no-op;
 * - an admin revoke only revokes.
 * Coalesced batch disables and the circuit breaker (thresholds set high) do not change the outcome.
 */

/** The member fields an update writes: the same shape the store keeps per employee. */
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

type RecordStatus = 'active' | 'disabled' | 'deleted';

interface RecordState {
  readonly status: RecordStatus;
  readonly isAdmin: boolean;
  readonly lastVersion: number;
}

export interface ModelState {
  readonly record?: RecordState;
  readonly member?: ExpectedMember;
}

interface Step {
  readonly status: RecordStatus;
  readonly member: ExpectedMember | undefined;
  readonly isAdmin?: boolean;
}

const ROOT_DEPT = '1';
/** The simulator's (and Meeting's) default country on create. */
const DEFAULT_COUNTRY = 'chinaPR';

const defined = (event: HrEvent) => {
  const m = event.member;
  const out: Record<string, string> = {};
  for (const field of PROFILE_FIELDS) {
    const value = m[field];
    if (value !== undefined) out[field] = value;
  }
  // member-mapping.ts always sends deptCode (root when HR gives none).
  out.deptCode = m.deptCode ?? ROOT_DEPT;
  return out;
};

const created = (event: HrEvent): Profile => ({ country: DEFAULT_COUNTRY, ...defined(event) }) as Profile;
/** Modify keeps the fields a request omits. */
const merged = (profile: Profile, event: HrEvent): Profile => ({ ...profile, ...defined(event) }) as Profile;

/** ensureMember: create, or adopt and update ours; a disabled one is enabled. Admin role unchanged. */
const createOrAdopt = (state: ModelState, event: HrEvent): Step => ({
  status: 'active',
  member: state.member
    ? { ...state.member, enabled: true, profile: merged(state.member.profile, event) }
    : { enabled: true, admin: false, profile: created(event) },
});

const activate = (state: ModelState, event: HrEvent): Step => {
  const { record, member } = state;
  if (!record || record.status === 'deleted' || !member) return createOrAdopt(state, event);
  return { status: 'active', member: { ...member, enabled: true, profile: merged(member.profile, event) } };
};

const update = (state: ModelState, event: HrEvent): Step => {
  const { record, member } = state;
  if (!record) return createOrAdopt(state, event);
  if (record.status === 'deleted') return { status: 'deleted', member };
  if (!member)
    return record.status === 'active' ? createOrAdopt(state, event) : { status: 'deleted', member };
  const enabled = record.status === 'active';
  return { status: record.status, member: { ...member, enabled, profile: merged(member.profile, event) } };
};

const terminate = (state: ModelState): Step => {
  const { record, member } = state;
  if (record && record.status !== 'active') return { status: record.status, member };
  if (!member) return { status: 'deleted', member };
  // Admin rights are revoked only when our record says we granted them.
  const admin = record?.isAdmin ? false : member.admin;
  return { status: 'disabled', member: { ...member, enabled: false, admin }, isAdmin: false };
};

const grantAdmin = (state: ModelState, event: HrEvent): Step => {
  const { record } = state;
  if (record && record.status !== 'active') return { status: record.status, member: state.member };
  const base = record ? { status: 'active' as const, member: state.member } : createOrAdopt(state, event);
  if (!base.member) throw new Error(`model: admin grant for ${event.employeeId} without a member`);
  return { status: 'active', member: { ...base.member, admin: true }, isAdmin: true };
};

const revokeAdmin = (state: ModelState): Step => ({
  status: state.record?.status ?? 'deleted',
  member: state.member && { ...state.member, admin: false },
  isAdmin: false,
});

const STEPS: Record<HrEvent['type'], (state: ModelState, event: HrEvent) => Step> = {
  [EVENT_TYPES.hired]: activate,
  [EVENT_TYPES.rehired]: activate,
  [EVENT_TYPES.updated]: update,
  [EVENT_TYPES.terminated]: terminate,
  [EVENT_TYPES.adminGranted]: grantAdmin,
  [EVENT_TYPES.adminRevoked]: revokeAdmin,
};

/** One event arriving at the worker. */
export const applyToModel = (state: ModelState, event: HrEvent): ModelState => {
  const { record } = state;
  if (record && event.version <= record.lastVersion) return state;
  const step = STEPS[event.type](state, event);
  const isAdmin = step.isAdmin ?? (step.status === 'active' ? (record?.isAdmin ?? false) : false);
  return {
    record: { status: step.status, isAdmin, lastVersion: Math.max(event.version, record?.lastVersion ?? -1) },
    ...(step.member && { member: step.member }),
  };
};

/** The state after `events` arrive in the given order. */
export const foldArrivals = (events: readonly HrEvent[]): ModelState => events.reduce(applyToModel, {});

/** What Meeting must hold for one employee: the fold of the history in HR (version) order. */
export const expectedMember = (events: readonly HrEvent[]): ExpectedMember | undefined =>
  foldArrivals([...events].sort((a, b) => a.version - b.version)).member;

const STATUS_EVENT_TYPES: ReadonlySet<string> = new Set([
  EVENT_TYPES.hired,
  EVENT_TYPES.rehired,
  EVENT_TYPES.terminated,
]);

/** HR's own truth: the employee's latest status decision is a termination (must not be enabled). */
export const isTerminatedInHr = (events: readonly HrEvent[]): boolean => {
  const last = [...events]
    .filter((e) => STATUS_EVENT_TYPES.has(e.type))
    .sort((a, b) => b.version - a.version)[0];
  return last?.type === EVENT_TYPES.terminated;
};

export const sameMember = (a: ExpectedMember | undefined, b: ExpectedMember | undefined): boolean =>
  a === undefined || b === undefined
    ? a === b
    : a.enabled === b.enabled &&
      a.admin === b.admin &&
      PROFILE_FIELDS.every((f) => a.profile[f] === b.profile[f]);
