import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Authorization header formats of docs/meeting-api.md §1.1, §1.2 and §7. */

const BASIC = /^Basic\s+(\S+)\s*$/i;
const HMAC = /^HMAC-SHA256\s+(.+)$/i;

const decodeBase64 = (b64: string): string | undefined =>
  /^[A-Za-z0-9+/]+={0,2}$/.test(b64) ? Buffer.from(b64, 'base64').toString('utf8') : undefined;

/** `Basic base64(utf8(account:password))`; the password may itself contain ":". */
export const parseBasicCredentials = (
  authorization: string | undefined,
): { account: string; password: string } | undefined => {
  const text = decodeBase64(BASIC.exec(authorization ?? '')?.[1] ?? '');
  const colon = text?.indexOf(':') ?? -1;
  if (text === undefined || colon < 0) return undefined;
  return { account: text.slice(0, colon), password: text.slice(colon + 1) };
};

/** Legacy business calls: `Basic base64(accessToken)`, the token alone. */
export const parseBasicToken = (authorization: string | undefined): string | undefined =>
  decodeBase64(BASIC.exec(authorization ?? '')?.[1] ?? '') || undefined;

/** `HMAC-SHA256 signature=<hex>,access=<base64(appId)>`; a missing `access` is reported as no appId. */
export const parseHmacAuthorization = (
  authorization: string | undefined,
): { signature: string; appId?: string } | undefined => {
  const params = HMAC.exec(authorization ?? '')?.[1];
  if (!params) return undefined;
  const fields = new Map(
    params.split(',').map((part) => {
      const eq = part.indexOf('=');
      return [part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim()] as const;
    }),
  );
  const signature = fields.get('signature');
  if (!signature) return undefined;
  const access = fields.get('access');
  if (access === undefined) return { signature };
  const appId = decodeBase64(access);
  return appId === undefined ? undefined : { signature, appId };
};

/** HMAC-SHA256(appKey, appId[:corpId]:userId:expireTime:nonce), lower-case hex. */
export const appAuthSignature = (
  appKey: string,
  f: { appId: string; corpId?: string; userId?: string; expireTime: number; nonce: string },
): string => {
  const parts = [f.appId, ...(f.corpId ? [f.corpId] : []), f.userId ?? '', String(f.expireTime), f.nonce];
  return createHmac('sha256', appKey).update(parts.join(':'), 'utf8').digest('hex');
};

/** Constant-time comparison of two strings of any length. */
export const safeEqual = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
