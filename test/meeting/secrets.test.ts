import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { createMemoryTokenCache, createTokenProvider } from '../../lib/auth/index.js';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';
import { captureLog } from './support.js';

const handle = useSimulator();
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('secrets stay out of logs and printed objects', () => {
  it('debug logs carry request metadata but no password, app key, token, signature or auth header', async () => {
    const capture = captureLog();
    const leaks: string[] = [DEMO_CREDENTIALS.password, DEMO_CREDENTIALS.appKey, 'HMAC-SHA256', 'signature='];
    leaks.push(b64(`${DEMO_CREDENTIALS.account}:${DEMO_CREDENTIALS.password}`));
    for (const [mode, dialect] of [
      ['account', 'current'],
      ['appId', 'current'],
      ['account', 'legacy'],
    ] as const) {
      const config = simulatorConfig(handle.sim, mode, { MEETING_API_DIALECT: dialect });
      const cache = createMemoryTokenCache();
      const tokenProvider = createTokenProvider({ ...config, cache, logger: capture.log });
      const meeting = connectMeeting({ config, tokenProvider, logger: capture.log });
      await meeting.getDepartment('1');
      const first = await tokenProvider.getToken();
      handle.sim.revokeAllTokens(); // forces the 401 → re-login path to log as well
      await meeting.getDepartment('1');
      await meeting.findMember('nobody').catch(() => undefined);
      const second = await tokenProvider.getToken();
      leaks.push(first, second, b64(first), b64(second));
    }
    const wrong = simulatorConfig(handle.sim, 'account', { MEETING_PASSWORD: 'Wrong#Password-9' });
    await connectMeeting({ config: wrong, logger: capture.log })
      .getDepartment('1')
      .catch(() => undefined);
    leaks.push('Wrong#Password-9');

    const text = capture.text();
    expect(text).toContain('"api":"getDeptAndChildren"');
    expect(text).toMatch(/"status":200.*"durationMs":\d+.*"requestId":"[0-9a-f-]{36}".*"attempt":1/);
    expect(text).toContain('"api":"authAccount"');
    for (const secret of leaks) expect(text).not.toContain(secret);
  });

  it('config, clients, providers and errors print no secrets (JSON and inspect)', async () => {
    const config = simulatorConfig(handle.sim, 'appId');
    const accountConfig = simulatorConfig(handle.sim, 'account', { MEETING_PASSWORD: 'Wrong#Password-9' });
    const tokenProvider = createTokenProvider(config);
    const token = await tokenProvider.getToken();
    const meeting = connectMeeting({ config, tokenProvider });
    const notFound = await meeting.getMember('HR-none').catch((e: unknown) => e);
    const authError = await connectMeeting({ config: accountConfig })
      .getDepartment('1')
      .catch((e: unknown) => e);
    expect(authError).toMatchObject({ name: 'MeetingAuthError' });
    const printed = [config, accountConfig, meeting, tokenProvider, notFound, authError]
      .flatMap((value) => [JSON.stringify(value), inspect(value, { depth: 10, showHidden: true })])
      .join('\n');
    for (const secret of [DEMO_CREDENTIALS.appKey, 'Wrong#Password-9', token])
      expect(printed).not.toContain(secret);
    expect(printed).toContain('[redacted]');
  });
});
