import { beforeEach, describe, expect, it } from 'vitest';
import { adminToken, call, loginAccount, MEMBERS, newMember, useSim } from './support.js';

const ADMIN = '/v1/usg/dcs/corp/admin';
const handle = useSim();
let token = '';
beforeEach(async () => {
  token = await adminToken(handle.sim.url);
});
const api = (method: string, path: string, body?: unknown, as = token) =>
  call(handle.sim.url, method, path, { token: as, body });

const member = async (over: Record<string, unknown> = {}) => {
  const res = await api('POST', MEMBERS, newMember(over));
  expect(res.status).toBe(200);
  return res.body as { userAccount: string; thirdAccount: string };
};

describe('enterprise admins (docs/meeting-api.md §3)', () => {
  it('starts with the demo account as default admin (adminType 0), also a member', async () => {
    const list = await api('GET', ADMIN);
    expect(list.body).toMatchObject({ offset: 0, limit: 10, count: 1 });
    expect(list.body.data[0]).toMatchObject({ account: 'admin@demo', adminType: 0, dept: { deptCode: '1' } });
    expect((await api('GET', `${ADMIN}/admin%40demo`)).body.adminType).toBe(0);
    expect(handle.sim.members().map((m) => m.userAccount)).toContain('admin@demo');
  });

  it('grants the common admin role to an existing member; granting twice is idempotent', async () => {
    const m = await member();
    expect((await api('POST', `${ADMIN}?accountType=1`, { account: m.thirdAccount })).status).toBe(200);
    const again = await api('POST', ADMIN, { account: m.userAccount });
    expect(again.status).toBe(200);
    expect(again.text).toBe('');
    expect(handle.sim.admins()).toHaveLength(2);
    expect((await api('GET', `${ADMIN}/${m.userAccount}`)).body).toMatchObject({
      account: m.userAccount,
      adminType: 1,
    });
  });

  it('answers 400 USG.201040000 for unknown members and for members that are not admins', async () => {
    const m = await member();
    expect((await api('POST', ADMIN, { account: 'ghost' })).body.error_code).toBe('USG.201040000');
    expect((await api('GET', `${ADMIN}/${m.userAccount}`)).body.error_code).toBe('USG.201040000');
    expect((await api('POST', ADMIN, {})).status).toBe(400);
  });

  it('revokes roles in batch, keeps the members, and never removes the default admin', async () => {
    const a = await member();
    const b = await member();
    for (const m of [a, b]) await api('POST', ADMIN, { account: m.userAccount });
    const protectedOwner = await api('POST', `${ADMIN}/delete`, [a.userAccount, 'admin@demo']);
    expect(protectedOwner.status).toBe(400);
    expect(handle.sim.admins()).toHaveLength(3);
    expect((await api('POST', `${ADMIN}/delete`, [a.userAccount, 'ghost'])).status).toBe(400);
    expect((await api('POST', `${ADMIN}/delete`, [])).status).toBe(400);
    expect((await api('POST', `${ADMIN}/delete`, Array(101).fill(a.userAccount))).status).toBe(400);
    expect((await api('POST', `${ADMIN}/delete`, [a.userAccount, b.userAccount])).status).toBe(200);
    expect(handle.sim.admins().map((x) => x.account)).toEqual(['admin@demo']);
    expect(handle.sim.members()).toHaveLength(3);
  });

  it('pages admins with the same last-page quirk and searchKey', async () => {
    for (let i = 0; i < 11; i++) {
      const m = await member({ name: `Admin ${i}` });
      await api('POST', ADMIN, { account: m.userAccount });
    }
    const beyond = await api('GET', `${ADMIN}?offset=50&limit=5`);
    expect(beyond.body).toMatchObject({ offset: 10, limit: 5, count: 12 });
    expect(beyond.body.data).toHaveLength(2);
    expect((await api('GET', `${ADMIN}?searchKey=admin%2010`)).body.count).toBe(1);
  });

  it('lets only the default admin grant roles (403 for a common admin)', async () => {
    const m = await member({ pwd: 'Common#Adm1n' });
    await api('POST', ADMIN, { account: m.userAccount });
    const common = (await loginAccount(handle.sim.url, m.userAccount, 'Common#Adm1n')).body.accessToken;
    expect((await api('GET', MEMBERS, undefined, common)).status).toBe(200);
    const other = await member();
    const res = await api('POST', ADMIN, { account: other.userAccount }, common);
    expect(res.status).toBe(403);
  });
});
