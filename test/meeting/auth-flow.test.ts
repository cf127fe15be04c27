import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { expectAuthError } from '../helpers/errors.js';
import { type AuthMode, simulatorConfig, useSimulator } from '../helpers/simulator.js';
import { fakeClock } from './support.js';

const clock = fakeClock(Date.now());
const handle = useSimulator({ clock, tokenValidSeconds: 3600 });
const client = (mode: AuthMode = 'account', env: Record<string, string> = {}) =>
  connectMeeting({ config: simulatorConfig(handle.sim, mode, env), clock });

describe('token handling inside the client', () => {
  it.each(['account', 'appId'] as const)(
    '1,000 concurrent calls on a cold cache log in once (%s mode)',
    async (mode) => {
      // A loaded machine may take seconds to answer 1,000 requests: no timeout retries here.
      const meeting = client(mode, { MEETING_TIMEOUT_MS: '50000' });
      const results = await Promise.all(Array.from({ length: 1000 }, () => meeting.getDepartment('1')));
      expect(results.every((d) => d.deptCode === '1')).toBe(true);
      expect(handle.sim.counters()).toMatchObject({
        auth: 1,
        authAttempts: 1,
        calls: { getDeptAndChildren: 1000 },
      });
    },
    // 1,000 requests may take long on a loaded machine; a fresh simulator per test (useSimulator)
    // keeps any left in flight from reaching the next test.
    120_000,
  );

  it('renews an expiring token before use, without a 401', async () => {
    const meeting = client();
    await meeting.getDepartment('1');
    clock.advance(3000 * 1000);
    await meeting.getDepartment('1');
    expect(handle.sim.counters().auth).toBe(1);
    clock.advance(400 * 1000); // within the default 300 s skew of the 3600 s lifetime
    await meeting.getDepartment('1');
    expect(handle.sim.counters()).toMatchObject({ auth: 2, calls: { getDeptAndChildren: 3 } });
  });

  it('re-logs in once after the server revoked the token, and the call succeeds', async () => {
    const meeting = client();
    await meeting.getDepartment('1');
    handle.sim.revokeAllTokens();
    const results = await Promise.all(Array.from({ length: 20 }, () => meeting.getDepartment('1')));
    expect(results).toHaveLength(20);
    expect(handle.sim.counters()).toMatchObject({ auth: 2, calls: { getDeptAndChildren: 41 } });
  });

  it('a second 401 in a row surfaces as MeetingAuthError', async () => {
    const meeting = client();
    handle.sim.setFaults({ revokeRate: 1, apis: ['getDeptAndChildren'] });
    const error = await meeting.getDepartment('1').catch((e: unknown) => e);
    expectAuthError(error, { status: 401, errorCode: 'USG.000000004', api: 'getDeptAndChildren' });
    expect(handle.sim.counters()).toMatchObject({ auth: 2, calls: { getDeptAndChildren: 2 } });
  });

  it('a rejected login is not retried and reaches the caller as MeetingAuthError', async () => {
    const config = simulatorConfig(handle.sim, 'account', { MEETING_PASSWORD: 'Not-the-password-1' });
    const meeting = connectMeeting({ config, clock });
    await expect(meeting.getDepartment('1')).rejects.toMatchObject({ name: 'MeetingAuthError', status: 401 });
    expect(handle.sim.counters()).toMatchObject({ authAttempts: 1, businessCalls: 0 });
  });
});
