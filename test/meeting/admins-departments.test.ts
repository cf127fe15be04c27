import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator();
const client = () => connectMeeting({ config: simulatorConfig(handle.sim, 'account') });

describe('admin calls', () => {
  it('grants (idempotently), reads, lists and revokes an admin role', async () => {
    const meeting = client();
    await meeting.createMember({ name: 'Cai', account: 'cai', email: 'cai@corp.example' });
    await meeting.addAdmin('cai');
    await meeting.addAdmin('cai');
    expect(await meeting.getAdmin('cai')).toMatchObject({ account: 'cai', adminType: 1 });
    const admins = await meeting.listAllAdmins();
    expect(admins.map((a) => a.account)).toContain('cai');
    expect(admins.filter((a) => a.adminType === 0)).toHaveLength(1);
    expect((await meeting.listAllAdmins({ searchKey: 'cai' })).map((a) => a.account)).toEqual(['cai']);
    await meeting.deleteAdmins(['cai']);
    await expect(meeting.getAdmin('cai')).rejects.toMatchObject({ kind: 'notFound', status: 400 });
    expect(handle.sim.counters().calls.addAdmin).toBe(2);
  });
});

describe('department calls', () => {
  it('creates, reads with children and finds by name', async () => {
    const meeting = client();
    expect(await meeting.createDepartment({ deptCode: 'D-SALES', deptName: 'Sales' })).toBe('D-SALES');
    await meeting.createDepartment({ deptCode: 'D-EMEA', deptName: 'Sales EMEA', parentDeptCode: 'D-SALES' });
    const sales = await meeting.getDepartment('D-SALES');
    expect(sales).toMatchObject({ deptCode: 'D-SALES', deptName: 'Sales' });
    expect(sales.childDepts?.map((d) => d.deptCode)).toEqual(['D-EMEA']);
    expect((await meeting.findDepartmentsByName('emea')).map((d) => d.deptCode)).toEqual(['D-EMEA']);
  });

  it('ensureDepartment creates a missing department once and then finds it', async () => {
    const meeting = client();
    expect(await meeting.ensureDepartment({ deptCode: 'D-HR', deptName: 'HR' })).toBe('D-HR');
    expect(await meeting.ensureDepartment({ deptCode: 'D-HR', deptName: 'HR' })).toBe('D-HR');
    expect(handle.sim.counters().calls.createDepartment).toBe(1);
  });

  it('ensureDepartment settles a lost creation race by reading again', async () => {
    const meeting = client();
    const results = await Promise.all(
      Array.from({ length: 5 }, () => meeting.ensureDepartment({ deptCode: 'D-OPS', deptName: 'Ops' })),
    );
    expect(results).toEqual(Array(5).fill('D-OPS'));
  });
});
