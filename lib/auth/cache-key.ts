import { createHash } from 'node:crypto';
import type { ApiDialect, MeetingCredentials } from '../config/index.js';

export interface TokenIdentity {
  readonly endpoint: string;
  readonly credentials: MeetingCredentials;
  readonly dialect: ApiDialect;
}

/**
 * Cache key of a token: every identity dimension (endpoint, dialect, auth mode, account or
 * appId + corpId + userId) so two tenants never share a token, hashed so the key reveals
 * nothing. Passwords and app keys are never part of it (rotating them keeps a valid token).
 */
export const tokenCacheKey = ({ endpoint, credentials, dialect }: TokenIdentity): string => {
  const identity =
    credentials.mode === 'account'
      ? ['account', credentials.account]
      : ['appId', credentials.appId, credentials.corpId ?? '', credentials.userId ?? ''];
  const material = JSON.stringify([endpoint.replace(/\/+$/, '').toLowerCase(), dialect, ...identity]);
  return `meeting-token:v1:${createHash('sha256').update(material).digest('hex')}`;
};
