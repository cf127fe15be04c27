import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import {
  createMemoryTokenCache,
  createTokenProvider,
  type TokenProviderOptions,
} from '../../lib/auth/index.js';
import { MeetingAuthError } from '../../lib/http/errors.js';
import { Secret } from '../../lib/shared/index.js';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { expectAuthError } from '../helpers/errors.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';
import { fakeClock } from '../meeting/support.js';

const clock = fakeClock();
const handle = useSimulator({ clock, tokenValidSeconds: 3600 });

const providerFor = (mode: 'account' | 'appId', extra: Partial<TokenProviderOptions> = {}) => {
  const config = simulatorConfig(handle.sim, mode);
  return createTokenProvider({
    endpoint: config.endpoint,
    credentials: config.credentials,
    dialect: 'current',
    clock,
    ...extra,
  });
};

describe('createTokenProvider', () => {
  it('logs in once in account mode and reuses the token', async () => {
    const tokens = providerFor('account');
    const first = await tokens.getToken();
    for (let i = 0; i < 10; i++) expect(await tokens.getToken()).toBe(first);
    expect(handle.sim.counters().calls.authAccount).toBe(1);
  });

  it('logs in with a signed App ID request', async () => {
    const tokens = providerFor('appId');
    expect(await tokens.getToken()).toMatch(/.+/);
    expect(handle.sim.counters()).toMatchObject({ auth: 1, calls: { authAppId: 1, authAccount: 0 } });
  });

  it('shares one login among 1,000 concurrent callers on a cold cache', async () => {
    const tokens = providerFor('account');
    const all = await Promise.all(Array.from({ length: 1000 }, () => tokens.getToken()));
    expect(new Set(all).size).toBe(1);
    expect(handle.sim.counters().authAttempts).toBe(1);
  });

  it('renews only once the token is within the skew of its expiry (server lifetime, our clock)', async () => {
    const tokens = providerFor('account', { skewSeconds: 300 });
    const first = await tokens.getToken();
    clock.advance((3600 - 301) * 1000);
    expect(await tokens.getToken()).toBe(first);
    clock.advance(2_000);
    const second = await tokens.getToken();
    expect(second).not.toBe(first);
    expect(handle.sim.counters().auth).toBe(2);
  });

  it('reuses a token from a shared cache instead of logging in per cold start', async () => {
    const cache = createMemoryTokenCache();
    const first = await providerFor('account', { cache }).getToken();
    const coldStart = providerFor('account', { cache });
    expect(await coldStart.getToken()).toBe(first);
    expect(handle.sim.counters().auth).toBe(1);
  });

  it('invalidate drops only the rejected token, so a wave of 401s causes one re-login', async () => {
    const tokens = providerFor('account');
    const stale = await tokens.getToken();
    await Promise.all(Array.from({ length: 20 }, () => tokens.invalidate(stale)));
    const fresh = await Promise.all(Array.from({ length: 20 }, () => tokens.getToken()));
    await tokens.invalidate(stale);
    expect(new Set(fresh).size).toBe(1);
    expect(fresh[0]).not.toBe(stale);
    expect(await tokens.getToken()).toBe(fresh[0]);
    expect(handle.sim.counters().auth).toBe(2);
  });

  it('never caches a failed login; every concurrent waiter gets the typed error', async () => {
    const tokens = createTokenProvider({
      endpoint: handle.sim.url,
      credentials: {
        mode: 'account',
        account: DEMO_CREDENTIALS.account,
        password: new Secret('wrong-password-1'),
      },
      dialect: 'current',
      clock,
    });
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => tokens.getToken({ requestId: 'req-1' })),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    const error = (results[0] as PromiseRejectedResult).reason;
    expectAuthError(error, {
      status: 401,
      api: 'authAccount',
      errorCode: 'USG.206010000',
      requestId: 'req-1',
    });
    expect(JSON.stringify(error)).not.toContain('wrong-password-1');
    await expect(tokens.getToken()).rejects.toBeInstanceOf(MeetingAuthError);
    expect(handle.sim.counters().authAttempts).toBe(2);
  });

  it('sends non-ASCII passwords as UTF-8 Basic credentials', async () => {
    const password = 'Pässwörd-日本-1';
    const admin = connectMeeting({ config: simulatorConfig(handle.sim, 'account'), clock });
    await admin.createMember({
      name: 'Utf Eight',
      account: 'utf8-user',
      email: 'u8@corp.example',
      pwd: password,
    });
    const tokens = createTokenProvider({
      endpoint: handle.sim.url,
      credentials: { mode: 'account', account: 'utf8-user', password: new Secret(password) },
      dialect: 'current',
      clock,
    });
    expect(await tokens.getToken()).toMatch(/.+/);
  });

  it('rejects App ID credentials for the legacy dialect before any request', () => {
    const config = simulatorConfig(handle.sim, 'appId');
    expect(() =>
      createTokenProvider({ endpoint: config.endpoint, credentials: config.credentials, dialect: 'legacy' }),
    ).toThrow(/account\/password/);
  });

  it('logs in with the legacy dialect (PUT, returnCode envelope)', async () => {
    const config = simulatorConfig(handle.sim, 'account');
    const tokens = createTokenProvider({
      endpoint: config.endpoint,
      credentials: config.credentials,
      dialect: 'legacy',
      clock,
    });
    expect(await tokens.getToken()).toMatch(/.+/);
    expect(handle.sim.counters().calls.authLegacy).toBe(1);
  });
});

describe('identities', () => {
  it('two different credentials on one shared cache never share a token', async () => {
    const cache = createMemoryTokenCache();
    const account = providerFor('account', { cache });
    const app = providerFor('appId', { cache });
    const config = simulatorConfig(handle.sim, 'appId', { MEETING_USER_ID: 'HR-77' });
    const appUser = createTokenProvider({ ...config, cache, clock });
    const tokens = await Promise.all([account.getToken(), app.getToken(), appUser.getToken()]);
    expect(new Set(tokens).size).toBe(3);
    expect(new Set([account.cacheKey, app.cacheKey, appUser.cacheKey]).size).toBe(3);
    expect(handle.sim.counters().auth).toBe(3);
  });
});
