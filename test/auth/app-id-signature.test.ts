import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAppIdAuth } from '../../lib/auth/index.js';
import { Secret } from '../../lib/shared/index.js';

const appKey = 'key-0123456789';
const hmac = (text: string) => createHmac('sha256', appKey).update(text).digest('hex');

describe('signAppIdAuth', () => {
  it('signs appId:userId:expireTime:nonce, expiring in 600 s', () => {
    const auth = signAppIdAuth(
      { mode: 'appId', appId: 'app', appKey: new Secret(appKey) },
      1_700_000_000_500,
      'n'.repeat(32),
    );
    expect(auth.body).toEqual({
      appId: 'app',
      clientType: 72,
      expireTime: 1_700_000_600,
      nonce: 'n'.repeat(32),
    });
    const access = Buffer.from('app').toString('base64');
    expect(auth.authorization).toBe(
      `HMAC-SHA256 signature=${hmac(`app::1700000600:${'n'.repeat(32)}`)},access=${access}`,
    );
  });

  it('adds corpId in SP mode and sends userId/corpId in the body', () => {
    const auth = signAppIdAuth(
      { mode: 'appId', appId: 'app', appKey: new Secret(appKey), corpId: 'corp', userId: 'u1' },
      1_700_000_000_000,
      'x'.repeat(32),
    );
    expect(auth.body).toMatchObject({ corpId: 'corp', userId: 'u1' });
    expect(auth.authorization).toContain(`signature=${hmac(`app:corp:u1:1700000600:${'x'.repeat(32)}`)},`);
  });

  it('uses a fresh random hex nonce of at least 32 chars', () => {
    const credentials = { mode: 'appId', appId: 'app', appKey: new Secret(appKey) } as const;
    const a = signAppIdAuth(credentials, 0).body.nonce;
    const b = signAppIdAuth(credentials, 0).body.nonce;
    expect(a).toMatch(/^[0-9a-f]{32,64}$/);
    expect(a).not.toBe(b);
  });
});
