import { describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startMeetingSimulator } from '../../simulator/index.js';
import { basic, call, fakeClock, loginAccount, loginAppId, MEMBERS, useSim } from './support.js';

const clock = fakeClock();
const handle = useSim({ clock });
const url = () => handle.sim.url;
const listWith = (token: string) => call(url(), 'GET', MEMBERS, { token });

describe('token rules (docs/meeting-api.md §1.4, §1.5)', () => {
  it('keeps 64 tokens per account: the 65th silently evicts the oldest', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 65; i++) {
      const res = await loginAccount(url());
      expect(res.status).toBe(200);
      tokens.push(res.body.accessToken);
    }
    const evicted = await listWith(tokens[0]!);
    expect(evicted.status).toBe(401);
    expect(evicted.body).toEqual({
      error_code: 'USG.000000004',
      error_msg: expect.any(String),
      request_id: evicted.headers.get('x-request-id'),
    });
    expect((await listWith(tokens[1]!)).status).toBe(200);
    expect(handle.sim.activeTokenCount()).toBe(64);
    // appId+userId is a different identity with its own 64.
    expect((await loginAppId(url())).status).toBe(200);
    expect(handle.sim.activeTokenCount()).toBe(65);
  });

  it('expires a token exactly at expireTime on the injected clock', async () => {
    const { body } = await loginAccount(url());
    clock.advance(body.validPeriod * 1000 - 1);
    expect((await listWith(body.accessToken)).status).toBe(200);
    clock.advance(1);
    expect((await listWith(body.accessToken)).status).toBe(401);
    expect(handle.sim.activeTokenCount()).toBe(0);
  });

  it('honours tokenValidSeconds in validPeriod/expireTime', async () => {
    const short = await startMeetingSimulator({ tokenValidSeconds: 60, clock });
    try {
      const { body } = await loginAccount(short.url);
      expect(body.validPeriod).toBe(60);
      expect(body.expireTime * 1000).toBe(body.createTime + 60_000);
    } finally {
      await short.close();
    }
  });

  it('refreshes with the refresh token or the access token (docs/meeting-api.md §8 D11); garbage is 401', async () => {
    const { body } = await loginAccount(url());
    for (const presented of [body.refreshToken, body.accessToken]) {
      const res = await call(url(), 'PUT', '/v1/usg/acs/token', { headers: { 'X-Access-Token': presented } });
      expect(res.status).toBe(200);
      expect(res.body.accessToken).not.toBe(body.accessToken);
      expect((await listWith(res.body.accessToken)).status).toBe(200);
    }
    const bad = await call(url(), 'PUT', '/v1/usg/acs/token', { headers: { 'X-Access-Token': 'nope' } });
    expect(bad.status).toBe(401);
    expect(handle.sim.counters()).toMatchObject({ auth: 3, authAttempts: 4 });
  });

  it('validates a token without X-Access-Token, optionally minting a new one', async () => {
    const { body } = await loginAccount(url());
    const path = '/v1/usg/acs/token/validate';
    const same = await call(url(), 'POST', path, {
      body: { token: body.accessToken, needGenNewToken: false },
    });
    expect(same.status).toBe(200);
    expect(same.body.accessToken).toBe(body.accessToken);
    expect(same.body.user).toBeUndefined();
    const fresh = await call(url(), 'POST', path, {
      body: { token: body.accessToken, needGenNewToken: true, needAccountInfo: true },
    });
    expect(fresh.body.accessToken).not.toBe(body.accessToken);
    expect(fresh.body.user.ucloginAccount).toBe(DEMO_CREDENTIALS.account);
    const invalid = await call(url(), 'POST', path, { body: { token: 'nope', needGenNewToken: false } });
    expect(invalid.status).toBe(401);
    expect(invalid.body.error_code).toBe('USG.000000004');
    const missing = await call(url(), 'POST', path, { body: { token: body.accessToken } });
    expect(missing.status).toBe(400);
    expect(missing.body.error_msg).toMatch(/needGenNewToken/);
  });

  it('logs out: the token stops working at once', async () => {
    const { body } = await loginAccount(url());
    const res = await call(url(), 'DELETE', '/v1/usg/acs/token', { token: body.accessToken });
    expect(res.status).toBe(200);
    expect(res.text).toBe('');
    expect((await listWith(body.accessToken)).status).toBe(401);
  });

  it('revokeAllTokens() invalidates every token', async () => {
    const a = await loginAccount(url());
    const b = await loginAppId(url());
    handle.sim.revokeAllTokens();
    expect(handle.sim.activeTokenCount()).toBe(0);
    expect((await listWith(a.body.accessToken)).status).toBe(401);
    expect((await listWith(b.body.accessToken)).status).toBe(401);
  });

  it('keeps one token per account for clientType ≠ 72: a new login kicks the previous', async () => {
    const login = () =>
      call(url(), 'POST', '/v1/usg/acs/auth/account', {
        headers: { Authorization: basic(DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.password) },
        body: { account: DEMO_CREDENTIALS.account, clientType: 0 },
      });
    const first = await login();
    const second = await login();
    expect((await listWith(first.body.accessToken)).status).toBe(401);
    expect((await listWith(second.body.accessToken)).status).toBe(200);
  });

  it('rejects business calls without a token', async () => {
    const res = await call(url(), 'GET', MEMBERS);
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('USG.000000004');
  });
});
