import { describe, expect, it } from 'vitest';
import { startMeetingSimulator } from '../../simulator/index.js';
import { adminToken, call, fakeClock, loginAccount, MEMBERS, newMember, useSim } from './support.js';

const clock = fakeClock(Date.UTC(2025, 0, 1, 0, 0, 0));
const handle = useSim({ clock, rateLimitPerMinute: 3, rateLimitWindowMs: 10_000 });
const url = () => handle.sim.url;

describe('rate limit', () => {
  it('answers 429 with Retry-After (seconds to window end, rounded up) per API, per window', async () => {
    const token = await adminToken(url());
    for (let i = 0; i < 3; i++) expect((await call(url(), 'GET', MEMBERS, { token })).status).toBe(200);
    clock.advance(2_500);
    const limited = await call(url(), 'GET', MEMBERS, { token });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('8');
    expect(limited.body.error_code).toBe('APIG.0308');
    expect((await call(url(), 'GET', `${MEMBERS}/admin@demo`, { token })).status).toBe(200);
    clock.advance(7_500);
    expect((await call(url(), 'GET', MEMBERS, { token })).status).toBe(200);
    expect(handle.sim.counters().faults.rateLimited).toBe(1);
  });

  it('can be switched off and back on at run time', async () => {
    const token = await adminToken(url());
    handle.sim.setRateLimit(undefined);
    for (let i = 0; i < 5; i++) expect((await call(url(), 'GET', MEMBERS, { token })).status).toBe(200);
    handle.sim.setRateLimit(1);
    clock.advance(10_000);
    await call(url(), 'GET', MEMBERS, { token });
    expect((await call(url(), 'GET', MEMBERS, { token })).status).toBe(429);
  });
});

describe('counters', () => {
  it('counts calls per API, business calls, auth issues and attempts; resetCounters zeroes them', async () => {
    const token = await adminToken(url());
    await loginAccount(url(), 'admin@demo', 'Wrong#Passw0rd');
    await call(url(), 'POST', MEMBERS, { token, body: newMember() });
    await call(url(), 'GET', `${MEMBERS}/ghost`, { token });
    await call(url(), 'GET', '/__sim/counters');
    expect(handle.sim.counters()).toMatchObject({
      auth: 1,
      authAttempts: 2,
      businessCalls: 2,
      calls: { authAccount: 2, createMember: 1, getMember: 1, listMembers: 0 },
    });
    handle.sim.resetCounters();
    expect(handle.sim.counters()).toMatchObject({
      auth: 0,
      authAttempts: 0,
      businessCalls: 0,
      calls: { authAccount: 0 },
    });
  });
});

describe('control endpoints and routing', () => {
  it('serves /__sim/counters, /__sim/state, /__sim/faults, /__sim/revoke and /__sim/reset', async () => {
    const token = await adminToken(url());
    await call(url(), 'POST', MEMBERS, { token, body: newMember({ account: 'ctl' }) });
    expect((await call(url(), 'GET', '/__sim/counters')).body.calls.createMember).toBe(1);
    const state = (await call(url(), 'GET', '/__sim/state')).body;
    expect(state.members.map((m: { userAccount: string }) => m.userAccount)).toEqual(['admin@demo', 'ctl']);
    expect(state).toMatchObject({
      admins: [{ account: 'admin@demo' }],
      departments: [{ deptCode: '1' }],
      activeTokens: 1,
    });

    expect((await call(url(), 'POST', '/__sim/faults', { body: { errorRate: 1 } })).body.faults).toEqual({
      errorRate: 1,
    });
    expect((await call(url(), 'GET', MEMBERS, { token })).status).toBeGreaterThanOrEqual(500);
    expect((await call(url(), 'POST', '/__sim/faults')).status).toBe(200);
    expect((await call(url(), 'GET', `${MEMBERS}/ctl`, { token })).status).toBe(200);
    const invalid = await call(url(), 'POST', '/__sim/faults', { body: { errorRate: 2 } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error_msg).toMatch(/errorRate/);

    expect((await call(url(), 'POST', '/__sim/revoke')).status).toBe(200);
    expect((await call(url(), 'GET', MEMBERS, { token })).status).toBe(401);
    expect((await call(url(), 'POST', '/__sim/reset')).status).toBe(200);
    expect(handle.sim.members()).toHaveLength(1);
    expect(handle.sim.counters().businessCalls).toBe(0);
  });

  it('answers JSON 404 for unknown paths and methods', async () => {
    for (const [method, path] of [
      ['GET', '/v1/usg/nothing'],
      ['DELETE', MEMBERS],
      ['GET', '/__sim/nothing'],
    ] as const) {
      const res = await call(url(), method, path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.error_code).toEqual(expect.any(String));
    }
  });

  it('reset() restores the start options: faults given at start come back', async () => {
    const sim = await startMeetingSimulator({ faults: { throttleRate: 1, apis: ['listMembers'] } });
    try {
      const token = await adminToken(sim.url);
      sim.setFaults(undefined);
      expect((await call(sim.url, 'GET', MEMBERS, { token })).status).toBe(200);
      sim.reset();
      expect((await call(sim.url, 'GET', MEMBERS, { token: await adminToken(sim.url) })).status).toBe(429);
    } finally {
      await sim.close();
    }
  });

  it('closes idempotently and frees the port', async () => {
    const sim = await startMeetingSimulator();
    await Promise.all([sim.close(), sim.close()]);
    await expect(fetch(`${sim.url}/__sim/counters`)).rejects.toThrow();
  });

  it('adds latencyMs to responses', async () => {
    const sim = await startMeetingSimulator({ latencyMs: 120 });
    try {
      const started = Date.now();
      expect((await loginAccount(sim.url)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await sim.close();
    }
  });
});
