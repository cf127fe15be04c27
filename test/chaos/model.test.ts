import { describe, expect, it } from 'vitest';
import { expectedMember, foldArrivals } from '../../chaos/model.js';
import { EVENT_TYPES, type EventType, type HrEvent, type MemberFields } from '../../lib/events/schemas.js';

// The model is the chaos suite's oracle; these pin the lifecycle rules it must encode.
const member = (title: string): MemberFields => ({
  name: 'Ana',
  email: 'ana@corp.example',
  deptCode: 'D1',
  title,
});
let version = 0;
const ev = (type: EventType, title = 'T0'): HrEvent =>
  ({ id: `e${++version}`, type, employeeId: 'E1', version, member: member(title) }) as HrEvent;
const { hired, updated, terminated, rehired, adminGranted, adminRevoked } = EVENT_TYPES;

describe('chaos model', () => {
  it('an update never re-enables a leaver, but keeps its profile current', () => {
    const m = expectedMember([ev(hired), ev(terminated), ev(updated, 'Later')]);
    expect(m).toMatchObject({ enabled: false, profile: { title: 'Later' } });
  });

  it('a termination of an unknown employee creates nothing; a later update does not either', () => {
    expect(expectedMember([ev(terminated)])).toBeUndefined();
    expect(expectedMember([ev(terminated), ev(updated)])).toBeUndefined();
    expect(expectedMember([ev(terminated), ev(hired, 'Back')])).toMatchObject({ enabled: true });
  });

  it('admin grant to an offboarded employee is a no-op; termination revokes the role', () => {
    expect(expectedMember([ev(hired), ev(adminGranted), ev(terminated), ev(adminGranted)])).toMatchObject({
      enabled: false,
      admin: false,
    });
    expect(expectedMember([ev(hired), ev(terminated), ev(rehired, 'R')])).toMatchObject({
      enabled: true,
      admin: false,
    });
    expect(expectedMember([ev(adminGranted, 'G')])).toMatchObject({ enabled: true, admin: true });
    expect(expectedMember([ev(hired), ev(adminGranted), ev(adminRevoked)])).toMatchObject({ admin: false });
  });

  it('skips events not newer than the last applied one, so the arrival order decides', () => {
    const [hire, update, term] = [ev(hired, 'A'), ev(updated, 'B'), ev(terminated)];
    expect(foldArrivals([hire, term, update]).member).toMatchObject({
      enabled: false,
      profile: { title: 'A' },
    });
    expect(foldArrivals([term, hire, update]).member).toBeUndefined();
    expect(foldArrivals([update, hire]).member).toMatchObject({ enabled: true, profile: { title: 'B' } });
  });
});
