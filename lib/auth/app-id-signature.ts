import { createHmac, randomBytes } from 'node:crypto';
import type { AppIdCredentials } from '../config/index.js';

/** SDKs sign for 10 minutes (docs/meeting-api.md §1.2). */
export const APP_ID_SIGNATURE_TTL_SECONDS = 600;

export interface AppIdAuth {
  /** `HMAC-SHA256 signature=<hex>,access=<base64(appId)>` — a secret-derived value, never log it. */
  readonly authorization: string;
  readonly body: {
    readonly appId: string;
    readonly clientType: 72;
    readonly expireTime: number;
    readonly nonce: string;
    readonly userId?: string;
    readonly corpId?: string;
  };
}

/** 32 random bytes as hex: 64 chars, the top of the documented 32-64 range. */
export const newNonce = (): string => randomBytes(32).toString('hex');

/**
 * Signs an App ID login (docs/meeting-api.md §1.2, §8 D8/D9): lower-case hex HMAC-SHA256 keyed with
 * the App Key over `appId:userId:expireTime:nonce`, or `appId:corpId:userId:expireTime:nonce`
 * in SP mode; an absent userId signs as the empty string.
 */
export const signAppIdAuth = (
  credentials: AppIdCredentials,
  nowMs: number,
  nonce: string = newNonce(),
): AppIdAuth => {
  const expireTime = Math.floor(nowMs / 1000) + APP_ID_SIGNATURE_TTL_SECONDS;
  const userId = credentials.userId ?? '';
  const fields =
    credentials.corpId === undefined
      ? [credentials.appId, userId, expireTime, nonce]
      : [credentials.appId, credentials.corpId, userId, expireTime, nonce];
  const signature = createHmac('sha256', credentials.appKey.reveal())
    .update(fields.join(':'), 'utf8')
    .digest('hex');
  const access = Buffer.from(credentials.appId, 'utf8').toString('base64');
  return {
    authorization: `HMAC-SHA256 signature=${signature},access=${access}`,
    body: {
      appId: credentials.appId,
      clientType: 72,
      expireTime,
      nonce,
      ...(credentials.userId !== undefined ? { userId: credentials.userId } : {}),
      ...(credentials.corpId !== undefined ? { corpId: credentials.corpId } : {}),
    },
  };
};
