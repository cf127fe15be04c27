import { describe, expect, it } from 'vitest';
import { MEMBERS, newMember, useAdminApi, useSim } from './support.js';

const handle = useSim();
const api = useAdminApi(handle);

/** Adds `count` members; returns their accounts. The demo admin is member #1 of the enterprise. */
const seed = async (count: number, over: Record<string, unknown> = {}) => {
  const members = Array.from({ length: count }, () => newMember(over));
  const results = await Promise.all(members.map((m) => api('POST', MEMBERS, m)));
  for (const r of results) expect(r.status).toBe(200);
  return results.map((r) => r.body as { userAccount: string; thirdAccount: string; id: string });
};

describe('paged search GET /v1/usg/dcs/corp/member (docs/meeting-api.md §2.5)', () => {
  it('pages with offset/limit and returns the LAST page for an offset beyond the total', async () => {
    await seed(24); // 25 with the demo admin
    const first = await api('GET', `${MEMBERS}?offset=0&limit=10`);
    expect(first.body).toMatchObject({ offset: 0, limit: 10, count: 25 });
    expect(first.body.data).toHaveLength(10);
    const beyond = await api('GET', `${MEMBERS}?offset=1000&limit=10`);
    expect(beyond.body).toMatchObject({ offset: 20, limit: 10, count: 25 });
    expect(beyond.body.data).toHaveLength(5);
    const last = await api('GET', `${MEMBERS}?offset=20&limit=10`);
    expect(beyond.body.data).toEqual(last.body.data);
  });

  it('defaults limit to 10 and bounds it to 1-500', async () => {
    await seed(11);
    expect((await api('GET', MEMBERS)).body).toMatchObject({ limit: 10, count: 12 });
    expect((await api('GET', `${MEMBERS}?limit=0`)).status).toBe(400);
    expect((await api('GET', `${MEMBERS}?limit=501`)).body.error_msg).toMatch(/limit/);
    expect((await api('GET', `${MEMBERS}?offset=-1`)).status).toBe(400);
  });

  it('filters by searchKey (name, email, account, thirdAccount), status and deptCode', async () => {
    await seed(2);
    const [target] = await seed(1, { name: 'Zelda Quist', thirdAccount: 'HR-ZQ-1' });
    await api('PUT', `${MEMBERS}/status/1`, [target!.userAccount]);
    expect((await api('GET', `${MEMBERS}?searchKey=zelda`)).body.count).toBe(1);
    expect((await api('GET', `${MEMBERS}?searchKey=HR-ZQ`)).body.data[0].userAccount).toBe(
      target!.userAccount,
    );
    expect((await api('GET', `${MEMBERS}?status=1`)).body.count).toBe(1);
    expect((await api('GET', `${MEMBERS}?status=0`)).body.count).toBe(3);
    expect((await api('GET', `${MEMBERS}?deptCode=1`)).body.count).toBe(4);
  });
});

describe('batch status PUT .../member/status/{value} (docs/meeting-api.md §2.6)', () => {
  it('takes the status from the path and a bare JSON array of accounts', async () => {
    const [a, b] = await seed(2);
    const res = await api('PUT', `${MEMBERS}/status/1?accountType=1`, [a!.thirdAccount, b!.thirdAccount]);
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await api('GET', `${MEMBERS}/${a!.userAccount}`)).body.status).toBe(1);
    await api('PUT', `${MEMBERS}/status/0`, [a!.userAccount]);
    expect((await api('GET', `${MEMBERS}/${a!.userAccount}`)).body.status).toBe(0);
  });

  it('rejects a bad value, an object body and unknown accounts (changing nothing)', async () => {
    const [a] = await seed(1);
    expect((await api('PUT', `${MEMBERS}/status/2`, [a!.userAccount])).status).toBe(400);
    expect((await api('PUT', `${MEMBERS}/status/1`, { accounts: [a!.userAccount] })).status).toBe(400);
    const res = await api('PUT', `${MEMBERS}/status/1`, [a!.userAccount, 'ghost']);
    expect(res.body.error_code).toBe('USG.201040000');
    expect((await api('GET', `${MEMBERS}/${a!.userAccount}`)).body.status).toBe(0);
  });
});

describe('batch delete POST .../member/delete (docs/meeting-api.md §2.7)', () => {
  /** POST .../member/delete with the accounts as the bare JSON array the API takes. */
  const deleteMembers = (accounts: string[], query = '') =>
    api('POST', `${MEMBERS}/delete${query}`, accounts);
  const accountsOf = (members: { userAccount: string }[]) => members.map((m) => m.userAccount);

  it('deletes every listed member', async () => {
    const members = await seed(3);
    const res = await deleteMembers(accountsOf(members));
    expect(res.status).toBe(200);
    expect(handle.sim.members()).toHaveLength(1);
  });

  it('is all-or-nothing: one unknown account deletes nothing', async () => {
    const members = await seed(3);
    const res = await deleteMembers([...members.map((m) => m.thirdAccount), 'ghost'], '?accountType=1');
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('USG.201040000');
    expect(handle.sim.members()).toHaveLength(4);
  });

  it('refuses more than 100 accounts (and empty lists) without deleting anything', async () => {
    const members = await seed(101);
    const res = await deleteMembers(accountsOf(members));
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('USG.000000001');
    expect(handle.sim.members()).toHaveLength(102);
    expect((await deleteMembers([])).status).toBe(400);
    const hundred = await deleteMembers(accountsOf(members.slice(0, 100)));
    expect(hundred.status).toBe(200);
    expect(handle.sim.members()).toHaveLength(2);
  });

  it('refuses the default admin and members that still hold the admin role', async () => {
    const [a] = await seed(1);
    expect((await deleteMembers(['admin@demo'])).status).toBe(400);
    await api('POST', '/v1/usg/dcs/corp/admin', { account: a!.userAccount });
    expect((await deleteMembers([a!.userAccount])).status).toBe(400);
    await api('POST', '/v1/usg/dcs/corp/admin/delete', [a!.userAccount]);
    expect((await deleteMembers([a!.userAccount])).status).toBe(200);
  });
});

describe('batch details POST /v1/usg/abs/users/list (docs/meeting-api.md §2.8)', () => {
  it('answers one UserDTO per id in order: statusCode 0 found, 2 does not exist', async () => {
    const [a, b] = await seed(2);
    const byId = await api('POST', '/v1/usg/abs/users/list?idType=USER_ID', [{ id: a!.id }, { id: 'nope' }]);
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual([
      expect.objectContaining({ id: a!.id, statusCode: 0, account: a!.userAccount }),
      { id: 'nope', statusCode: 2 },
    ]);
    const byThird = await api('POST', '/v1/usg/abs/users/list?idType=THIRD_ACCOUNT', [
      { id: b!.thirdAccount },
    ]);
    expect(byThird.body[0]).toMatchObject({ id: b!.thirdAccount, statusCode: 0, account: b!.userAccount });
  });

  it('defaults idType to USER_ID and enforces 1-200 items and a known idType', async () => {
    const [a] = await seed(1);
    expect((await api('POST', '/v1/usg/abs/users/list', [{ id: a!.id }])).body[0].statusCode).toBe(0);
    const items = (k: number) => Array.from({ length: k }, (_, i) => ({ id: `x${i}` }));
    expect((await api('POST', '/v1/usg/abs/users/list', items(200))).status).toBe(200);
    expect((await api('POST', '/v1/usg/abs/users/list', items(201))).status).toBe(400);
    expect((await api('POST', '/v1/usg/abs/users/list', [])).status).toBe(400);
    expect((await api('POST', '/v1/usg/abs/users/list?idType=EMAIL', items(1))).status).toBe(400);
  });
});
