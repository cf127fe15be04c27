import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { bodyOf } from '../contract/corpus.js';
import { basic, call, loginAppId, MEMBERS, newMember, useAdminApi, useSim } from './support.js';

/**
 * By default the simulator answers like Huawei's documented examples (test/contract/corpus),
 * not like a tidier picture of them: the same fields, unset ones as null.
 */
const handle = useSim();
const api = useAdminApi(handle);

const keysOf = (o: unknown) => Object.keys(o as object).sort();
type Json = Record<string, unknown>;

describe('documented shapes by default', () => {
  it('user details: every field of the user-details example (seed 003), unset ones null, vmrList status "0"', async () => {
    await api('POST', MEMBERS, newMember({ account: 'li', thirdAccount: 'HR-li', email: 'li@corp.example' }));
    const res = await api('GET', `${MEMBERS}/li`);
    const seed = bodyOf<Json>('seed003-getMember.response');
    expect(keysOf(res.body)).toEqual(keysOf(seed));
    expect(keysOf(res.body.vmrList[0])).toEqual(keysOf((seed.vmrList as Json[])[0]));
    expect(keysOf(res.body.devType)).toEqual(keysOf(seed.devType));
    expect(res.body).toMatchObject({
      phone: null,
      englishName: null,
      signature: null,
      title: null,
      desc: null,
      corp: null,
      visionAccount: null,
      devType: { deviceSize: null, model: null, purchaseChannel: null },
      vmrList: [expect.objectContaining({ status: '0', vmrPkgId: null })],
      email: 'li@corp.example',
    });
  });

  it('add answers the same user object', async () => {
    const res = await api('POST', MEMBERS, newMember());
    expect(keysOf(res.body)).toEqual(keysOf(bodyOf('seed003-getMember.response')));
  });

  it('paged search: every SearchUserResultDTO field of the model-derived example, unset ones null', async () => {
    await api('POST', MEMBERS, newMember({ thirdAccount: undefined }));
    const page = await api('GET', `${MEMBERS}?limit=5`);
    const example = bodyOf<{ data: Json[] }>('listMembers.page1.response');
    expect(keysOf(page.body)).toEqual(keysOf(example));
    expect(keysOf(page.body.data[1])).toEqual(keysOf(example.data[0]));
    expect(page.body.data[1]).toMatchObject({ thirdAccount: null, signature: null, activeCode: null });
  });

  it('legacy add: every field of the legacy add-user example (seed 002), email null, vmrList status 0', async () => {
    const login = await call(handle.sim.url, 'PUT', '/rest/usg/sso/v1/auth/account', {
      headers: { Authorization: basic(DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.password) },
      body: { account: DEMO_CREDENTIALS.account, clientType: 0, createTokenType: 0, forceLoginInd: 0 },
    });
    const legacyToken = Buffer.from(login.body.data.accessToken).toString('base64');
    const res = await call(handle.sim.url, 'POST', '/rest/usg/datacenter/v1/corp/member', {
      headers: { Authorization: `Basic ${legacyToken}` },
      body: { name: 'test010', account: 'test010', phone: '+8613600000000', country: 'chinaPR' },
    });
    const seed = bodyOf<{ data: Json }>('seed002-legacy-createMember.response');
    expect(keysOf(res.body)).toEqual(keysOf(seed));
    expect(keysOf(res.body.data)).toEqual(keysOf(seed.data));
    expect(res.body.data).toMatchObject({ email: null, signature: null, corp: null });
    expect(res.body.data.vmrList[0].status).toBe(0);
  });

  it('the root department has parentDeptCode null, in admin and department answers', async () => {
    const admins = await api('GET', '/v1/usg/dcs/corp/admin');
    expect(admins.body.data[0].dept).toMatchObject({ deptCode: '1', parentDeptCode: null });
    const root = await api('GET', '/v1/usg/dcs/member/dept/1');
    expect(root.body).toMatchObject({ deptCode: '1', parentDeptCode: null, note: null });
    expect(keysOf(root.body)).toEqual(keysOf(bodyOf('getDeptAndChildren.root.response')));
  });

  it('batch details: every UserDTO field of the model-derived example', async () => {
    await api('POST', MEMBERS, newMember({ thirdAccount: 'HR-d' }));
    const res = await api('POST', '/v1/usg/abs/users/list?idType=THIRD_ACCOUNT', [
      { id: 'HR-d' },
      { id: 'HR-x' },
    ]);
    expect(keysOf(res.body[0])).toEqual(keysOf(bodyOf<Json[]>('getMembersDetails.response')[0]));
    expect(res.body[1]).toEqual({ id: 'HR-x', statusCode: 2 });
  });

  it('App ID token: like the documented example, forceLoginInd and proxyToken null', async () => {
    const res = await loginAppId(handle.sim.url);
    expect(res.body).toMatchObject({ forceLoginInd: null, proxyToken: null, clientType: 72 });
    expect(res.body.expireTime - res.body.createTime / 1000).toBe(res.body.validPeriod);
  });

  it('errors carry the documented body: error_code, error_msg, request_id', async () => {
    const res = await api('GET', `${MEMBERS}/nobody`, undefined, { headers: { 'X-Request-Id': 'trace-1' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: 'USG.201040000',
      error_msg: expect.any(String),
      request_id: 'trace-1',
    });
  });
});
