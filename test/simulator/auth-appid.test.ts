import { describe, expect, it } from 'vitest';
import { call, loginAppId, MEMBERS, useSim } from './support.js';

const handle = useSim();
const now = () => Math.floor(Date.now() / 1000);

describe('POST /v2/usg/acs/auth/appauth', () => {
  it('accepts a lower-case hex signature with access=Base64(appId); the token is the default admin', async () => {
    const res = await loginAppId(handle.sim.url);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ ucloginAccount: 'admin@demo', adminType: 0, appId: 'demo-app-id' });
    expect((await call(handle.sim.url, 'GET', MEMBERS, { token: res.body.accessToken })).status).toBe(200);
  });

  it('accepts upper-case hex (docs/meeting-api.md §8 D9)', async () => {
    expect((await loginAppId(handle.sim.url, { upperCase: true })).status).toBe(200);
  });

  it.each([
    ['without access=Base64(appId)', { withAccess: false }, /access/],
    ['without X-Token-Type: LongTicket', { withTokenType: false }, /X-Token-Type/],
  ] as const)(
    'answers 401 for a login %s: both are mandatory (docs/meeting-api.md §1.2, §8 D8)',
    async (_, auth, why) => {
      const res = await loginAppId(handle.sim.url, auth);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error_code: 'USG.206010025', error_msg: expect.stringMatching(why) });
    },
  );

  it('answers 401 for a signature made with the wrong key', async () => {
    const res = await loginAppId(handle.sim.url, { appKey: 'not-the-key' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error_code: 'USG.206010025', request_id: expect.any(String) });
  });

  it('answers 401 for an unknown appId even when signed consistently', async () => {
    expect((await loginAppId(handle.sim.url, { appId: 'other-app' })).status).toBe(401);
  });

  it('answers 401 for a signature whose expireTime is past, and accepts 0 (never expires)', async () => {
    const expired = await loginAppId(handle.sim.url, { expireTime: now() - 5 });
    expect(expired.status).toBe(401);
    expect(expired.body.error_code).toBe('USG.206010057');
    expect((await loginAppId(handle.sim.url, { expireTime: 0 })).status).toBe(200);
  });

  it.each([31, 65])('answers 400 for a nonce of %i characters', async (length) => {
    const res = await loginAppId(handle.sim.url, { nonce: 'n'.repeat(length) });
    expect(res.status).toBe(400);
    expect(res.body.error_msg).toMatch(/nonce/);
  });

  it('verifies SP mode over appId:corpId:userId:expireTime:nonce', async () => {
    expect((await loginAppId(handle.sim.url, { corpId: 'corp-7' })).status).toBe(200);
    const unsigned = await loginAppId(handle.sim.url, { corpId: 'corp-7', unsignedCorpId: true });
    expect(unsigned.status).toBe(401);
  });

  it('auto-registers an unknown userId as a plain member, whose token cannot manage the enterprise', async () => {
    const res = await loginAppId(handle.sim.url, { userId: 'HR-77' });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ thirdAccount: 'HR-77', adminType: 2 });
    expect(handle.sim.members().map((m) => m.thirdAccount)).toContain('HR-77');
    expect((await call(handle.sim.url, 'GET', MEMBERS, { token: res.body.accessToken })).status).toBe(403);
  });
});
