import { beforeEach, describe, expect, it } from 'vitest';
import { adminToken, call, loginAccount, MEMBERS, useSim } from './support.js';

const handle = useSim();
let token = '';
beforeEach(async () => {
  token = await adminToken(handle.sim.url);
});
const list = (init: { signal?: AbortSignal } = {}) =>
  fetch(`${handle.sim.url}${MEMBERS}`, { headers: { 'X-Access-Token': token }, ...init });

describe('fault injection', () => {
  it('answers 500/502/503 with the error body for errorRate', async () => {
    handle.sim.setFaults({ errorRate: 1 });
    const res = await call(handle.sim.url, 'GET', MEMBERS, { token, headers: { 'X-Request-Id': 'r-1' } });
    expect([500, 502, 503]).toContain(res.status);
    expect(res.body).toEqual({
      error_code: expect.stringMatching(/^USG\./),
      error_msg: expect.any(String),
      request_id: 'r-1',
    });
    expect(handle.sim.counters()).toMatchObject({ calls: { listMembers: 1 }, faults: { error: 1 } });
  });

  it('answers 429 with Retry-After for throttleRate', async () => {
    handle.sim.setFaults({ throttleRate: 1, retryAfterSeconds: 7 });
    const res = await call(handle.sim.url, 'GET', MEMBERS, { token });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body.error_code).toBe('APIG.0308');
    expect(handle.sim.counters().faults.throttle).toBe(1);
  });

  it('delays responses for slowRate (a client timeout fires; a patient client gets 200)', async () => {
    handle.sim.setFaults({ slowRate: 1, slowMs: 300 });
    await expect(list({ signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const started = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(handle.sim.counters().faults.slow).toBe(2);
  });

  it('destroys the connection without a response for resetRate', async () => {
    handle.sim.setFaults({ resetRate: 1 });
    await expect(list()).rejects.toThrow(TypeError);
    expect(handle.sim.counters().faults.reset).toBe(1);
  });

  it('revokes the presented token for revokeRate: 401 now and afterwards', async () => {
    handle.sim.setFaults({ revokeRate: 1 });
    const res = await call(handle.sim.url, 'GET', MEMBERS, { token });
    expect(res.status).toBe(401);
    expect(res.body.error_code).toBe('USG.000000004');
    handle.sim.setFaults(undefined);
    expect((await call(handle.sim.url, 'GET', MEMBERS, { token })).status).toBe(401);
  });

  it('leaves auth endpoints alone unless named in apis, and restricts faults to apis', async () => {
    handle.sim.setFaults({ errorRate: 1 });
    expect((await loginAccount(handle.sim.url)).status).toBe(200);
    handle.sim.setFaults({ errorRate: 1, apis: ['authAccount', 'getMember'] });
    expect((await loginAccount(handle.sim.url)).status).toBeGreaterThanOrEqual(500);
    expect((await call(handle.sim.url, 'GET', MEMBERS, { token })).status).toBe(200);
    expect(
      (await call(handle.sim.url, 'GET', `${MEMBERS}/admin@demo`, { token })).status,
    ).toBeGreaterThanOrEqual(500);
  });

  it('replays the same decisions for the same seed', async () => {
    const run = async (seed: number) => {
      handle.sim.setFaults({ seed, errorRate: 0.5 });
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++)
        statuses.push((await call(handle.sim.url, 'GET', MEMBERS, { token })).status);
      return statuses;
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(a.filter((s) => s === 200).length).toBeGreaterThan(3);
    expect(a.filter((s) => s >= 500).length).toBeGreaterThan(3);
    expect(await run(8)).not.toEqual(a);
  });

  it('uses the gateway error body for injected faults in the legacy dialect too', async () => {
    handle.sim.setFaults({ errorRate: 1 });
    const res = await call(handle.sim.url, 'POST', '/rest/usg/datacenter/v1/corp/member/search', {
      headers: { Authorization: `Basic ${Buffer.from(token).toString('base64')}` },
      body: {},
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(res.body.error_code).toEqual(expect.any(String));
  });

  it('refuses connections while offline (an outage) and answers on the same URL again, state kept', async () => {
    const before = (await call(handle.sim.url, 'GET', MEMBERS, { token })).body;
    await handle.sim.setOffline(true);
    try {
      const attempt = () =>
        fetch(`${handle.sim.url}${MEMBERS}`, { headers: { 'X-Access-Token': token } }).then(
          () => 'answered',
          (error: unknown) => (error as { cause?: { code?: string } }).cause?.code,
        );
      // A kept-alive connection is dropped (the client may notice only on its next use); a new one is refused.
      expect(await attempt()).not.toBe('answered');
      expect(await attempt()).toBe('ECONNREFUSED');
    } finally {
      await handle.sim.setOffline(false);
    }
    const after = await call(handle.sim.url, 'GET', MEMBERS, { token });
    expect(after.status).toBe(200);
    expect(after.body).toEqual(before);
  });

  it('rejects invalid fault configurations', () => {
    expect(() => handle.sim.setFaults({ errorRate: 1.5 })).toThrow(/errorRate/);
    expect(() => handle.sim.setFaults({ errorRate: 0.6, throttleRate: 0.6 })).toThrow(/exceed/);
    expect(() => handle.sim.setFaults({ apis: ['listMember'] })).toThrow(/listMember/);
  });
});
