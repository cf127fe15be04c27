import { describe, expect, it } from 'vitest';
import { tokenCacheKey } from '../../lib/auth/index.js';
import type { MeetingCredentials } from '../../lib/config/index.js';
import { Secret } from '../../lib/shared/index.js';

const endpoint = 'https://api.meeting.huaweicloud.com';
const account: MeetingCredentials = {
  mode: 'account',
  account: 'admin@corp',
  password: new Secret('Secret#Pass-1'),
};
const app: MeetingCredentials = { mode: 'appId', appId: 'app-1', appKey: new Secret('app-key-secret-0001') };

describe('tokenCacheKey', () => {
  it('separates every identity dimension', () => {
    const keys = [
      tokenCacheKey({ endpoint, credentials: account, dialect: 'current' }),
      tokenCacheKey({ endpoint, credentials: account, dialect: 'legacy' }),
      tokenCacheKey({
        endpoint: 'https://api-intl.meeting.huaweicloud.com',
        credentials: account,
        dialect: 'current',
      }),
      tokenCacheKey({ endpoint, credentials: { ...account, account: 'other@corp' }, dialect: 'current' }),
      tokenCacheKey({ endpoint, credentials: app, dialect: 'current' }),
      tokenCacheKey({ endpoint, credentials: { ...app, userId: 'hr-1' }, dialect: 'current' }),
      tokenCacheKey({ endpoint, credentials: { ...app, corpId: 'corp-9' }, dialect: 'current' }),
      tokenCacheKey({ endpoint, credentials: { ...app, appId: 'app-2' }, dialect: 'current' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is stable, ignores secrets and reveals nothing', () => {
    const key = tokenCacheKey({ endpoint, credentials: account, dialect: 'current' });
    const rotated = { ...account, password: new Secret('Rotated#Pass-2') };
    expect(tokenCacheKey({ endpoint: `${endpoint}/`, credentials: rotated, dialect: 'current' })).toBe(key);
    expect(key).toMatch(/^meeting-token:v1:[0-9a-f]{64}$/);
    const appKey = tokenCacheKey({ endpoint, credentials: app, dialect: 'current' });
    for (const text of ['admin@corp', 'Secret#Pass-1', 'app-1', 'app-key-secret-0001']) {
      expect(key + appKey).not.toContain(text);
    }
  });
});
