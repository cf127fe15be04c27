import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectedMember, meetsHr } from '../../chaos/model.js';
import { EVENT_TYPES, type EventType, type HrEvent, type MemberFields } from '../../lib/events/schemas.js';

// The model is the chaos suite's and the convergence property test's oracle; these pin its rules.
const member = (title: string): MemberFields => ({
  name: 'Ana',
  email: 'ana@corp.example',
  deptCode: 'D1',
  title,
});
let version = 0;
const ev = (type: EventType, title = 'T0', extra: Partial<HrEvent> = {}): HrEvent =>
  ({ id: `e${++version}`, type, employeeId: 'E1', version, member: member(title), ...extra }) as HrEvent;
const { hired, updated, terminated, rehired, adminGranted, adminRevoked } = EVENT_TYPES;

describe('chaos model (per-aspect newest wins)', () => {
  it('the newest profile wins; an update says nothing about the status', () => {
    expect(expectedMember([ev(hired), ev(terminated), ev(updated, 'Later')])).toMatchObject({
      enabled: false,
      profile: { title: 'Later' },
    });
  });

  it('an employee whose status no event states is active', () => {
    expect(expectedMember([ev(updated, 'U')])).toMatchObject({ enabled: true, admin: false });
    expect(expectedMember([ev(adminGranted, 'G')])).toMatchObject({ enabled: true, admin: true });
  });

  it('a leaver never holds the role; a rehire regains it only from a grant newer than the termination', () => {
    expect(expectedMember([ev(hired), ev(adminGranted), ev(terminated), ev(rehired)])).toMatchObject({
      enabled: true,
      admin: false,
    });
    expect(expectedMember([ev(hired), ev(terminated), ev(adminGranted), ev(rehired)])).toMatchObject({
      enabled: true,
      admin: true,
    });
    expect(expectedMember([ev(hired), ev(adminGranted), ev(terminated), ev(adminGranted)])).toMatchObject({
      enabled: false,
      admin: false,
    });
    expect(expectedMember([ev(hired), ev(adminGranted), ev(adminRevoked)])).toMatchObject({ admin: false });
    // An update that states the employee left ends the role too.
    expect(
      expectedMember([ev(hired), ev(adminGranted), ev(updated, 'X', { status: 'terminated' }), ev(rehired)]),
    ).toMatchObject({ enabled: true, admin: false });
  });

  it('stated status and admin flags count like the types that imply them', () => {
    expect(expectedMember([ev(hired), ev(updated, 'X', { status: 'terminated' })])).toMatchObject({
      enabled: false,
    });
    expect(expectedMember([ev(hired), ev(updated, 'X', { admin: true })])).toMatchObject({ admin: true });
  });

  it('a leaver may have no member at all; an active employee must have one', () => {
    const leaver = [ev(hired), ev(terminated)];
    expect(meetsHr(leaver, undefined)).toBe(true);
    expect(meetsHr([ev(hired)], undefined)).toBe(false);
  });

  it('does not depend on the arrival order or on duplicates', () => {
    const history = [
      ev(hired, 'A'),
      ev(adminGranted, 'B'),
      ev(terminated, 'C'),
      ev(rehired, 'D'),
      ev(updated, 'E'),
    ];
    const expected = expectedMember(history);
    fc.assert(
      fc.property(fc.shuffledSubarray(history, { minLength: history.length }), fc.nat(4), (order, dup) => {
        expect(expectedMember([...order, order[dup % order.length]!])).toEqual(expected);
      }),
    );
  });
});
