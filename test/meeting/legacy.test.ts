import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { expectAuthError } from '../helpers/errors.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator();
const legacyClient = () =>
  connectMeeting({ config: simulatorConfig(handle.sim, 'account', { MEETING_API_DIALECT: 'legacy' }) });
const bo = { name: 'Bo Li', account: 'bo.li', email: 'bo@corp.example', thirdAccount: 'HR-1', title: 'Dev' };

describe('legacy dialect end-to-end', () => {
  it('logs in with PUT /rest/usg/sso and runs the member lifecycle on the datacenter paths', async () => {
    const meeting = legacyClient();
    const created = await meeting.createMember(bo);
    expect(created).toMatchObject({ userAccount: 'bo.li', name: 'Bo Li' });
    expect(created.thirdAccount).toBeUndefined(); // legacy has no thirdAccount: not sent
    expect((await meeting.getMember('bo.li')).email).toBe('bo@corp.example');
    // Modify answers an envelope without data: the client reads the member back.
    expect(await meeting.updateMember('bo.li', { name: 'Bo Li Jr', deptCode: '1' })).toMatchObject({
      name: 'Bo Li Jr',
    });
    expect((await meeting.listAllMembers({ searchKey: 'bo' })).map((m) => m.userAccount)).toEqual(['bo.li']);
    await meeting.setMembersStatus(['bo.li'], 1);
    expect((await meeting.getMember('bo.li')).status).toBe(1);
    await meeting.deleteMembers(['bo.li']);
    expect(await meeting.findMember('bo.li')).toBeUndefined();
    const c = handle.sim.counters();
    expect(c.calls).toMatchObject({
      authLegacy: 1,
      authAccount: 0,
      createMember: 1,
      listMembers: 1,
      deleteMembers: 1,
    });
  });

  it('admins and departments', async () => {
    const meeting = legacyClient();
    await meeting.createMember(bo);
    await meeting.addAdmin('bo.li');
    expect(await meeting.getAdmin('bo.li')).toMatchObject({ adminType: 1 });
    expect((await meeting.listAllAdmins()).map((a) => a.account)).toContain('bo.li');
    await meeting.deleteAdmins(['bo.li']);
    expect(await meeting.ensureDepartment({ deptCode: 'D-1', deptName: 'One' })).toBe('D-1');
    expect((await meeting.findDepartmentsByName('one')).map((d) => d.deptCode)).toEqual(['D-1']);
  });

  it('maps returnCode digits to the same classification as the current API', async () => {
    const meeting = legacyClient();
    await meeting.createMember(bo);
    await expect(meeting.createMember(bo)).rejects.toMatchObject({
      kind: 'alreadyExists',
      errorCode: '201040001',
    });
    await expect(meeting.getMember('nobody')).rejects.toMatchObject({
      kind: 'notFound',
      errorCode: '201040000',
    });
    expect((await meeting.ensureMember(bo)).outcome).toBe('adopted');
  });

  it('re-logs in once on returnCode 000000004 and surfaces a second rejection', async () => {
    const meeting = legacyClient();
    await meeting.getDepartment('1');
    handle.sim.revokeAllTokens();
    await meeting.getDepartment('1');
    expect(handle.sim.counters().calls.authLegacy).toBe(2);
    handle.sim.setFaults({ revokeRate: 1, apis: ['getDeptAndChildren'] });
    const error = await meeting.getDepartment('1').catch((e: unknown) => e);
    expectAuthError(error, { errorCode: '000000004' });
  });

  it('refuses third-party selectors and unsupported filters without sending', async () => {
    const meeting = legacyClient();
    await expect(meeting.getMember('HR-1', { accountType: 1 })).rejects.toMatchObject({ kind: 'permanent' });
    await expect(meeting.listAllMembers({ sortField: 'status' })).rejects.toMatchObject({
      kind: 'permanent',
    });
    await expect(meeting.getMembersDetails(['x'], 'USER_ID')).rejects.toMatchObject({ kind: 'permanent' });
    expect(handle.sim.counters().businessCalls).toBe(0);
  });
});
