import { describe, expect, it } from 'vitest';
import { type SimulatorOptions, startMeetingSimulator } from '../../simulator/index.js';
import { adminToken, call, MEMBERS, newMember, useFreshSim } from './support.js';

/** Start options for what the real service may do but the documents do not settle. */

const fresh = useFreshSim();

const start = async (options: SimulatorOptions) => {
  const sim = await fresh.start(options);
  const token = await adminToken(sim.url);
  const api = (method: string, path: string, body?: unknown) => call(sim.url, method, path, { token, body });
  return { sim, api };
};

describe('pageSizeCap', () => {
  it('serves at most the cap whatever limit asks, and says so in limit (or echoes the request)', async () => {
    const { api } = await start({ pageSizeCap: 2 });
    for (let i = 0; i < 4; i++) await api('POST', MEMBERS, newMember());
    const first = await api('GET', `${MEMBERS}?offset=0&limit=500`);
    expect(first.body).toMatchObject({ offset: 0, limit: 2, count: 5 });
    expect(first.body.data).toHaveLength(2);
    // Past the total: the last page of the served size.
    expect((await api('GET', `${MEMBERS}?offset=9&limit=500`)).body).toMatchObject({ offset: 4, count: 5 });
    expect((await api('GET', '/v1/usg/dcs/corp/admin?limit=500')).body.limit).toBe(2);

    const echo = await start({ pageSizeCap: 2, pageLimitEcho: 'requested' });
    for (let i = 0; i < 4; i++) await echo.api('POST', MEMBERS, newMember());
    const page = await echo.api('GET', `${MEMBERS}?limit=500`);
    expect(page.body).toMatchObject({ limit: 500, count: 5 });
    expect(page.body.data).toHaveLength(2);
  });

  it('rejects a cap that is not a positive integer', async () => {
    await expect(startMeetingSimulator({ pageSizeCap: 0 })).rejects.toThrow(/pageSizeCap/);
  });
});

describe('alreadyDone', () => {
  const seedAdmin = async (api: Awaited<ReturnType<typeof start>>['api']) => {
    const m = (await api('POST', MEMBERS, newMember())).body as { userAccount: string };
    expect((await api('POST', '/v1/usg/dcs/corp/admin', { account: m.userAccount })).status).toBe(200);
    expect((await api('PUT', `${MEMBERS}/status/1`, [m.userAccount])).status).toBe(200);
    return m.userAccount;
  };

  it('default: grant to an admin and disable a disabled member answer 200; an unknown account in a delete refuses the batch', async () => {
    const { api } = await start({});
    const account = await seedAdmin(api);
    expect((await api('POST', '/v1/usg/dcs/corp/admin', { account })).status).toBe(200);
    expect((await api('PUT', `${MEMBERS}/status/1`, [account])).status).toBe(200);
    await api('POST', '/v1/usg/dcs/corp/admin/delete', [account]);
    const del = await api('POST', `${MEMBERS}/delete`, [account, 'gone@corp']);
    expect(del.status).toBe(400);
    expect(del.body.error_code).toBe('USG.201040000');
    expect(fresh.sim.members().map((m) => m.userAccount)).toContain(account);
  });

  it("'code': each already-done write is refused with HTTP 400 and a code", async () => {
    const { api } = await start({ alreadyDone: 'code' });
    const account = await seedAdmin(api);
    const grant = await api('POST', '/v1/usg/dcs/corp/admin', { account });
    expect([grant.status, grant.body.error_code]).toEqual([400, 'USG.201040006']);
    const disable = await api('PUT', `${MEMBERS}/status/1`, [account]);
    expect([disable.status, disable.body.error_code]).toEqual([400, 'USG.201040020']);
    await api('POST', '/v1/usg/dcs/corp/admin/delete', [account]);
    const del = await api('POST', `${MEMBERS}/delete`, [account, 'gone@corp']);
    expect([del.status, del.body.error_code]).toEqual([400, 'USG.201040000']);
  });

  it("'ok': every already-done write answers 200, a delete of unknown accounts included", async () => {
    const { api } = await start({ alreadyDone: 'ok' });
    const account = await seedAdmin(api);
    expect((await api('POST', '/v1/usg/dcs/corp/admin', { account })).status).toBe(200);
    expect((await api('PUT', `${MEMBERS}/status/1`, [account])).status).toBe(200);
    await api('POST', '/v1/usg/dcs/corp/admin/delete', [account]);
    expect((await api('POST', `${MEMBERS}/delete`, [account, 'gone@corp'])).status).toBe(200);
    expect(fresh.sim.members().map((m) => m.userAccount)).not.toContain(account);
  });
});
