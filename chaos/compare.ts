import type { HrEvent } from '../lib/events/schemas.js';
import type { History, PoisonEmployee } from './history.js';
import { type ExpectedMember, expectedMember, meetsHr, PROFILE_FIELDS, type Profile } from './model.js';

/** Final Meeting state against the model, and the dead-letter queue against the poison list. */

export const MISMATCH = {
  /** The employee exists on both sides but differs (status, admin role or profile): an event was lost. */
  lost: 'lost',
  /** Should exist, is gone. */
  wrongDeletion: 'wrongDeletion',
  /** HR's newest word on the status is a termination, yet the member is enabled. */
  terminatedEnabled: 'terminatedEnabled',
  /** Exists in Meeting although nothing should have created it. */
  extraMember: 'extraMember',
  /** A dead letter that is not one of the deliberately unprocessable events. */
  unexpectedDeadLetter: 'unexpectedDeadLetter',
  deadLetterWithoutReason: 'deadLetterWithoutReason',
  /** An unprocessable event that did not end in the DLQ. */
  poisonNotDeadLettered: 'poisonNotDeadLettered',
  /** The other HR id's member was changed by our events. */
  poisonMemberTouched: 'poisonMemberTouched',
  /** A delivery the webhook never accepted. */
  deliveryFailed: 'deliveryFailed',
  /** The queue did not drain in time. */
  notDrained: 'notDrained',
  /** Coalesced disables still waiting after the drain: the state was not settled. */
  pendingAfterDrain: 'pendingAfterDrain',
  /** The mass-offboarding breaker opened although its thresholds were set out of reach. */
  breakerOpened: 'breakerOpened',
  /** After a Meeting outage, the system converged later than the drill allows (CHAOS_OUTAGE). */
  slowRecovery: 'slowRecovery',
} as const;
export type MismatchKind = (typeof MISMATCH)[keyof typeof MISMATCH];

export interface Mismatch {
  readonly kind: MismatchKind;
  readonly employeeId?: string;
  readonly detail: string;
  readonly expected?: ExpectedMember;
  readonly actual?: ExpectedMember;
}

/** A member as simulator.members() shows it (docs/meeting-api.md §2.9 user object). */
export type MemberView = Record<string, unknown>;

export interface DeadLetter {
  readonly body: string;
  readonly groupId: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface ActualState {
  readonly members: readonly MemberView[];
  readonly deadLetters: readonly DeadLetter[];
  /** The foreign members as created before the run. */
  readonly foreignBefore: ReadonlyMap<string, MemberView>;
  /** The account of the enterprise's default admin (the only member nobody's events create). */
  readonly ownerAccount: string;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

export const viewToMember = (m: MemberView): ExpectedMember => {
  const profile: Record<string, string | undefined> = {};
  for (const field of PROFILE_FIELDS) profile[field] = str(m[field]);
  return { enabled: m.status === 0, admin: m.adminType === 1, profile: profile as unknown as Profile };
};

const describeDiff = (expected: ExpectedMember, actual: ExpectedMember): string => {
  const diffs: string[] = [];
  if (expected.enabled !== actual.enabled) diffs.push(`enabled ${expected.enabled} → ${actual.enabled}`);
  if (expected.admin !== actual.admin) diffs.push(`admin ${expected.admin} → ${actual.admin}`);
  for (const f of PROFILE_FIELDS) {
    if (expected.profile[f] !== actual.profile[f])
      diffs.push(`${f} ${expected.profile[f]} → ${actual.profile[f]}`);
  }
  return diffs.join(', ');
};

const compareEmployee = (
  employeeId: string,
  events: readonly HrEvent[],
  view: MemberView | undefined,
): Mismatch | undefined => {
  const actual = view && viewToMember(view);
  if (meetsHr(events, actual)) return undefined;
  const expected = expectedMember(events);
  const base = { employeeId, ...(expected && { expected }), ...(actual && { actual }) };
  if (actual?.enabled && expected && !expected.enabled) {
    return { ...base, kind: MISMATCH.terminatedEnabled, detail: 'terminated in HR but enabled in Meeting' };
  }
  if (expected && !actual)
    return { ...base, kind: MISMATCH.wrongDeletion, detail: 'expected a member, none exists' };
  if (!expected && actual)
    return { ...base, kind: MISMATCH.extraMember, detail: 'member exists but should not' };
  return { ...base, kind: MISMATCH.lost, detail: describeDiff(expected!, actual!) };
};

const eventIdOf = (body: string): string | undefined => {
  try {
    return str((JSON.parse(body) as { id?: unknown }).id);
  } catch {
    return undefined;
  }
};

const comparePoison = (
  poison: PoisonEmployee,
  actual: ActualState,
  deadIds: ReadonlySet<string>,
): Mismatch[] => {
  const out: Mismatch[] = [];
  for (const event of poison.events) {
    if (!deadIds.has(event.id)) {
      out.push({
        kind: MISMATCH.poisonNotDeadLettered,
        employeeId: poison.employeeId,
        detail: `${event.type} ${event.id} is not in the DLQ`,
      });
    }
  }
  const before = actual.foreignBefore.get(poison.foreign.thirdAccount);
  const now = actual.members.find((m) => m.thirdAccount === poison.foreign.thirdAccount);
  const changed =
    !before || !now || JSON.stringify(viewToMember(before)) !== JSON.stringify(viewToMember(now));
  if (changed) {
    out.push({
      kind: MISMATCH.poisonMemberTouched,
      employeeId: poison.employeeId,
      detail: `member of ${poison.foreign.thirdAccount} changed or vanished`,
      ...(before && { expected: viewToMember(before) }),
      ...(now && { actual: viewToMember(now) }),
    });
  }
  return out;
};

export const compareState = (history: History, actual: ActualState): Mismatch[] => {
  const mismatches: Mismatch[] = [];
  const byHrId = new Map(
    actual.members.flatMap((m) => (str(m.thirdAccount) ? [[str(m.thirdAccount)!, m]] : [])),
  );
  for (const employee of history.employees) {
    const mismatch = compareEmployee(employee.employeeId, employee.events, byHrId.get(employee.employeeId));
    if (mismatch) mismatches.push(mismatch);
  }

  const known = new Set([
    ...history.employees.map((e) => e.employeeId),
    ...history.poison.map((p) => p.foreign.thirdAccount),
  ]);
  for (const m of actual.members) {
    const hrId = str(m.thirdAccount);
    if (hrId ? known.has(hrId) : m.userAccount === actual.ownerAccount) continue;
    mismatches.push({
      kind: MISMATCH.extraMember,
      ...(hrId && { employeeId: hrId }),
      detail: `unknown member ${String(m.userAccount)} (thirdAccount ${hrId ?? 'none'})`,
    });
  }

  const poisonIds = new Set(history.poison.map((p) => p.employeeId));
  const deadIds = new Set<string>();
  for (const dead of actual.deadLetters) {
    const eventId = eventIdOf(dead.body) ?? '?';
    deadIds.add(eventId);
    if (!dead.attributes.reason?.trim()) {
      mismatches.push({
        kind: MISMATCH.deadLetterWithoutReason,
        employeeId: dead.groupId,
        detail: `dead letter ${eventId} carries no reason`,
      });
    }
    if (!poisonIds.has(dead.groupId)) {
      mismatches.push({
        kind: MISMATCH.unexpectedDeadLetter,
        employeeId: dead.groupId,
        detail: `${eventId}: ${dead.attributes.reason ?? 'no reason'}`,
      });
    }
  }
  for (const poison of history.poison) mismatches.push(...comparePoison(poison, actual, deadIds));
  return mismatches;
};
