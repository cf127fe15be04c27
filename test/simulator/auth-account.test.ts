import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { adminToken, basic, call, fakeClock, loginAccount, MEMBERS, newMember, useSim } from './support.js';

const clock = fakeClock(Date.UTC(2025, 0, 1, 8, 0, 0, 250));
const handle = useSim({ clock });

describe('POST /v1/usg/acs/auth/account', () => {
  it('issues a docs/meeting-api.md §1.3 token whose s/ms fields agree with each other and the clock', async () => {
    const res = await loginAccount(handle.sim.url);
    expect(res.status).toBe(200);
    const t = res.body;
    expect(t.accessToken).toEqual(expect.any(String));
    expect(t.validPeriod).toBe(43_200);
    expect(t.createTime).toBe(Date.UTC(2025, 0, 1, 8, 0, 0));
    expect(t.expireTime - t.createTime / 1000).toBe(t.validPeriod);
    expect(t.refreshExpireTime - t.refreshCreateTime / 1000).toBe(2_592_000);
    expect(t).toMatchObject({
      clientType: 72,
      tokenType: 0,
      user: { ucloginAccount: 'admin@demo', adminType: 0 },
    });
    expect(res.text).not.toContain(DEMO_CREDENTIALS.password);
    expect(handle.sim.counters()).toMatchObject({ auth: 1, authAttempts: 1, businessCalls: 0 });
  });

  it('answers 401 with the error body on a wrong password, without echoing it', async () => {
    const res = await loginAccount(handle.sim.url, DEMO_CREDENTIALS.account, 'Wrong#Passw0rd');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({
      error_code: 'USG.206010000',
      error_msg: expect.any(String),
      request_id: res.headers.get('x-request-id'),
    });
    expect(res.text).not.toContain('Wrong#Passw0rd');
    expect(handle.sim.counters()).toMatchObject({ auth: 0, authAttempts: 1 });
  });

  it('answers 401 when the header account differs from the body account', async () => {
    const res = await call(handle.sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: basic(DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.password) },
      body: { account: 'someone-else', clientType: 72 },
    });
    expect(res.status).toBe(401);
  });

  it.each([
    ['no body', undefined, /body/],
    ['no clientType', { account: DEMO_CREDENTIALS.account }, /clientType/],
    ['an over-long account', { account: 'a'.repeat(256), clientType: 72 }, /account/],
  ])('answers 400 naming the field for %s', async (_, body, field) => {
    const res = await call(handle.sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: basic(DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.password) },
      body,
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('USG.000000001');
    expect(res.body.error_msg).toMatch(field);
  });

  it('only verifies credentials for createTokenType 1 (no token issued)', async () => {
    const res = await call(handle.sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: basic(DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.password) },
      body: { account: DEMO_CREDENTIALS.account, clientType: 72, createTokenType: 1 },
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect(handle.sim.activeTokenCount()).toBe(0);
  });

  it('decodes Basic credentials as UTF-8 (non-ASCII password), and rejects the Latin-1 rendering', async () => {
    const token = await adminToken(handle.sim.url);
    const pwd = 'Pässwörd-日本-1';
    const created = await call(handle.sim.url, 'POST', MEMBERS, {
      token,
      body: newMember({ account: 'utf8-user', pwd }),
    });
    expect(created.status).toBe(200);
    expect(created.text).not.toContain(pwd);

    expect((await loginAccount(handle.sim.url, 'utf8-user', pwd)).status).toBe(200);
    const latin1 = `Basic ${Buffer.from(`utf8-user:${pwd}`, 'latin1').toString('base64')}`;
    const wrong = await call(handle.sim.url, 'POST', '/v1/usg/acs/auth/account', {
      headers: { Authorization: latin1 },
      body: { account: 'utf8-user', clientType: 72 },
    });
    expect(wrong.status).toBe(401);
  });

  it("gives a non-admin member's token 403 on management APIs", async () => {
    const token = await adminToken(handle.sim.url);
    await call(handle.sim.url, 'POST', MEMBERS, {
      token,
      body: newMember({ account: 'plain', pwd: 'Plain#Passw0rd' }),
    });
    const login = await loginAccount(handle.sim.url, 'plain', 'Plain#Passw0rd');
    const res = await call(handle.sim.url, 'GET', MEMBERS, { token: login.body.accessToken });
    expect(res.status).toBe(403);
    expect(res.body.error_code).toBe('USG.000000003');
  });

  it('answers 412 for a disabled member', async () => {
    const token = await adminToken(handle.sim.url);
    await call(handle.sim.url, 'POST', MEMBERS, {
      token,
      body: newMember({ account: 'off', pwd: 'Off#Passw0rd1', status: 1 }),
    });
    expect((await loginAccount(handle.sim.url, 'off', 'Off#Passw0rd1')).status).toBe(412);
  });
});
