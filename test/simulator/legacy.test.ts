import { beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { basic, call, MEMBERS, type Res, useSim } from './support.js';

const BASE = '/rest/usg/datacenter/v1/corp';
const handle = useSim();

const login = (password: string = DEMO_CREDENTIALS.password) =>
  call(handle.sim.url, 'PUT', '/rest/usg/sso/v1/auth/account', {
    headers: { Authorization: basic(DEMO_CREDENTIALS.account, password) },
    body: { account: DEMO_CREDENTIALS.account, clientType: 0, createTokenType: 0, forceLoginInd: 0 },
  });

let token = '';
beforeEach(async () => {
  token = (await login()).body.data.accessToken;
});
/** Legacy calls carry Authorization: Basic Base64(accessToken). */
const api = (method: string, path: string, body?: unknown, as = token) =>
  call(handle.sim.url, method, `${BASE}${path}`, {
    headers: { Authorization: `Basic ${Buffer.from(as).toString('base64')}` },
    body,
  });

const expectFailure = (res: Res, returnCode: string) => {
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ returnCode, returnMessage: expect.any(String) });
  expect(res.body.data).toBeUndefined();
};

describe('legacy dialect (docs/meeting-api.md §7)', () => {
  it('logs in with PUT and answers the returnCode envelope around a docs/meeting-api.md §1.3 token', async () => {
    const res = await login();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      returnCode: '000000000',
      returnMessage: 'Success',
      requestId: res.headers.get('x-request-id'),
      achievementTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/),
      data: { accessToken: expect.any(String), validPeriod: 43_200 },
    });
    expect(handle.sim.counters().calls.authLegacy).toBe(2); // beforeEach logged in too
    expectFailure(await login('Wrong#Passw0rd'), '206010000');
  });

  it('adds, reads and modifies members in envelopes, over the same state as the current API', async () => {
    const body = { name: 'Li Lei', account: 'lilei', email: 'li@corp.example', thirdAccount: 'HR-ignored' };
    const added = await api('POST', '/member', body);
    expect(added.body).toMatchObject({
      returnCode: '000000000',
      data: { userAccount: 'lilei', deptCode: '1' },
    });
    expect(added.body.data.thirdAccount).toBeUndefined();
    expect((await api('GET', '/member/lilei')).body.data.name).toBe('Li Lei');
    const modified = await api('PUT', '/member/lilei', { name: 'Li Lei 2', status: 1 });
    expect(modified.body).toMatchObject({ returnCode: '000000000' });
    expect(modified.body.data).toBeUndefined();
    expect(handle.sim.members().find((m) => m.userAccount === 'lilei')).toMatchObject({
      name: 'Li Lei 2',
      status: 1,
    });
  });

  it('reports errors as HTTP 200 with the error code digits as returnCode', async () => {
    await api('POST', '/member', { name: 'Dup', account: 'dup', email: 'd@corp.example' });
    expectFailure(
      await api('POST', '/member', { name: 'Dup', account: 'dup', email: 'd@corp.example' }),
      '201040001',
    );
    expectFailure(await api('GET', '/member/ghost'), '201040000');
    expectFailure(await api('PUT', '/member/dup', { status: 1 }), '000000001'); // name is required in legacy
    expectFailure(
      await api('POST', '/member', { name: 'S', email: 's@corp.example', signature: 's'.repeat(129) }),
      '000000001',
    );
    expectFailure(await api('GET', '/member/dup', undefined, 'not-a-token'), '000000004');
  });

  it('searches with a JSON body, with the last-page quirk', async () => {
    for (let i = 0; i < 4; i++)
      await api('POST', '/member', { name: `P${i}`, account: `p${i}`, email: `p${i}@corp.example` });
    const res = await api('POST', '/member/search', { offset: 99, limit: 2, searchKey: '' });
    expect(res.body.data).toMatchObject({ offset: 4, limit: 2, count: 5 });
    expect(res.body.data.data).toHaveLength(1);
    expect((await api('POST', '/member/search', { searchKey: 'p3' })).body.data.count).toBe(1);
  });

  it('changes status, deletes, and manages admins', async () => {
    for (const a of ['x1', 'x2'])
      await api('POST', '/member', { name: a, account: a, email: `${a}@corp.example` });
    expect((await api('PUT', '/member/status/1', ['x1'])).body.returnCode).toBe('000000000');
    expect((await api('POST', '/admin', { account: 'x2' })).body.returnCode).toBe('000000000');
    expect((await api('POST', '/admin/search', { offset: 0, limit: 10 })).body.data.count).toBe(2);
    expectFailure(await api('POST', '/member/delete', ['x1', 'ghost']), '201040000');
    expect((await api('POST', '/admin/delete', ['x2'])).body.returnCode).toBe('000000000');
    expect((await api('POST', '/member/delete', ['x1', 'x2'])).body.returnCode).toBe('000000000');
    expect(handle.sim.members()).toHaveLength(1);
    expect((await call(handle.sim.url, 'GET', MEMBERS)).status).toBe(401); // the current API still wants X-Access-Token
  });

  it('keeps one legacy (clientType 0) token per account: a new login kicks the previous one', async () => {
    const second = (await login()).body.data.accessToken;
    expectFailure(await api('GET', '/member/admin@demo'), '000000004');
    expect((await api('GET', '/member/admin@demo', undefined, second)).body.returnCode).toBe('000000000');
  });
});
