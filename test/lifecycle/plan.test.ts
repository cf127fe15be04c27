import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType, type HrEvent } from '../../lib/events/schemas.js';
import { mergeEvent, targetOf } from '../../lib/lifecycle/hr-state.js';
import { type Applied, appliedOf, nextRecord, planActions } from '../../lib/lifecycle/plan.js';
import type { EmployeeRecord } from '../../lib/store/types.js';

// The pure core of applyEvent: fold an event into HR's word, plan the Meeting changes, build the record.
const event = (type: EventType, version: number, extra: Partial<HrEvent> = {}): HrEvent =>
  ({
    id: `e${version}`,
    type,
    employeeId: 'E1',
    version,
    member: { name: 'Ana', email: 'ana@corp.example', title: `T${version}` },
    ...extra,
  }) as HrEvent;

const recordAfter = (
  events: readonly HrEvent[],
  applied: (merge: ReturnType<typeof mergeEvent>) => Applied,
) =>
  events.reduce<EmployeeRecord | undefined>((previous, e) => {
    const merge = mergeEvent(previous, e);
    return nextRecord({
      previous,
      employeeId: 'E1',
      account: 'e1',
      event: e,
      merge,
      applied: applied(merge),
      now: e.version * 1000,
    });
  }, undefined);

describe('mergeEvent', () => {
  it('moves each aspect only to a newer version, independently', () => {
    const afterGrant = mergeEvent(undefined, event(EVENT_TYPES.adminGranted, 2));
    expect(afterGrant.advanced).toEqual(['profile', 'admin']);
    const update = mergeEvent({ hr: afterGrant.hr }, event(EVENT_TYPES.updated, 3));
    expect(update.advanced).toEqual(['profile']);
    const lateHire = mergeEvent({ hr: update.hr }, event(EVENT_TYPES.hired, 1));
    // Older than the profile and the role, but the first word on the employment status.
    expect(lateHire.advanced).toEqual(['employment']);
    expect(lateHire.hr).toMatchObject({
      profile: { version: 3 },
      employment: { value: 'active', version: 1 },
      admin: { value: true, version: 2 },
    });
    expect(mergeEvent({ hr: lateHire.hr }, event(EVENT_TYPES.adminGranted, 2)).advanced).toEqual([]);
  });

  it('takes a stated status or admin flag over what the type implies, and terminations revoke the role', () => {
    const leaving = mergeEvent(undefined, event(EVENT_TYPES.updated, 5, { status: 'terminated' }));
    expect(leaving.hr.employment).toMatchObject({ value: 'terminated', version: 5 });
    const terminated = mergeEvent(undefined, event(EVENT_TYPES.terminated, 5));
    expect(terminated.hr.admin).toMatchObject({ value: false, version: 5 });
  });

  it('treats every aspect of a migrated record as settled at its floor version', () => {
    expect(mergeEvent({ hr: {}, floorVersion: 7 }, event(EVENT_TYPES.adminGranted, 7)).advanced).toEqual([]);
    expect(mergeEvent({ hr: {}, floorVersion: 7 }, event(EVENT_TYPES.adminGranted, 8)).advanced).toEqual([
      'profile',
      'admin',
    ]);
  });
});

describe('planActions', () => {
  const plan = (applied: Applied, ...events: HrEvent[]) => {
    const merge = events.reduce((m, e) => mergeEvent({ hr: m.hr }, e), { hr: {}, advanced: [] } as ReturnType<
      typeof mergeEvent
    >);
    return planActions(applied, targetOf(merge.hr), merge).map((a) => a.kind);
  };
  const unknown = appliedOf(undefined);
  const active: Applied = { status: 'active', isAdmin: false, profileApplied: 1 };

  it('creates an unknown employee, and only disables one that is provably ours on a termination', () => {
    expect(plan(unknown, event(EVENT_TYPES.updated, 1))).toEqual(['createMember']);
    expect(plan(unknown, event(EVENT_TYPES.terminated, 1))).toEqual(['disableIfOurs']);
  });

  it('writes a newer profile, re-enables a leaver, and grants or revokes the role as HR says', () => {
    expect(plan(active, event(EVENT_TYPES.updated, 2))).toEqual(['writeProfile']);
    expect(plan(active, event(EVENT_TYPES.hired, 1))).toEqual([]);
    expect(plan({ ...active, status: 'disabled' }, event(EVENT_TYPES.rehired, 2))).toEqual(['writeProfile']);
    expect(plan(active, event(EVENT_TYPES.hired, 1), event(EVENT_TYPES.adminGranted, 1))).toEqual([
      'grantAdmin',
    ]);
    expect(plan({ ...active, isAdmin: true }, event(EVENT_TYPES.adminRevoked, 1))).toEqual(['revokeAdmin']);
  });

  it('on a termination disables first (access goes before anything that may be refused), then revokes the role', () => {
    const admin = { ...active, isAdmin: true };
    expect(plan(admin, event(EVENT_TYPES.terminated, 1))).toEqual(['disable', 'revokeAdmin']);
    const merge = mergeEvent(undefined, event(EVENT_TYPES.terminated, 2));
    expect(planActions(active, targetOf(merge.hr), merge)).toEqual([{ kind: 'disable', withProfile: true }]);
  });

  it('leaves a deleted leaver alone but keeps a disabled one current', () => {
    expect(plan({ ...active, status: 'deleted' }, event(EVENT_TYPES.terminated, 3))).toEqual([]);
    expect(
      plan(
        { ...active, status: 'disabled' },
        event(EVENT_TYPES.terminated, 1),
        event(EVENT_TYPES.updated, 3),
      ),
    ).toEqual(['writeProfile']);
  });
});

describe('nextRecord', () => {
  it('records what Meeting holds, dates a disable once, counts revisions and keeps the newest event', () => {
    const record = recordAfter(
      [event(EVENT_TYPES.hired, 1), event(EVENT_TYPES.terminated, 3), event(EVENT_TYPES.updated, 2)],
      (merge) => ({
        status: merge.hr.employment?.value === 'terminated' ? 'disabled' : 'active',
        isAdmin: false,
        profileApplied: merge.hr.profile!.version,
      }),
    );
    expect(record).toMatchObject({
      status: 'disabled',
      disabledAt: 3000,
      lastVersion: 3,
      lastEventId: 'e3',
      revision: 3,
      profileApplied: 3,
      hr: { employment: { value: 'terminated', version: 3 }, profile: { version: 3 } },
    });
  });

  it('marks an employee without a member as deleted and without the role', () => {
    const record = recordAfter([event(EVENT_TYPES.terminated, 1)], () => ({
      status: 'unknown',
      isAdmin: true,
      profileApplied: -1,
    }));
    expect(record).toMatchObject({ status: 'deleted', isAdmin: false, deletedAt: 1000 });
    expect(record).not.toHaveProperty('profileApplied');
  });
});
