import { createHmac } from 'node:crypto';

/**
 * Standard Webhooks signature computed with node:crypto straight from the spec
 * (HMAC-SHA256 over `id.timestamp.body`, key = base64 after `whsec_`): an oracle that shares
 * no code with lib/webhook or the standardwebhooks library.
 */
export const specSignature = (
  secret: string,
  id: string,
  timestamp: number | string,
  body: string | Uint8Array,
) =>
  `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.`)
    .update(body)
    .digest('base64')}`;

export const fixedClock = (seconds: number) => ({ now: () => seconds * 1000 });

export const SECRET_A = `whsec_${Buffer.alloc(32, 'a').toString('base64')}`;
export const SECRET_B = `whsec_${Buffer.alloc(24, 'b').toString('base64')}`;
export const SECRET_OLD = `whsec_${Buffer.alloc(64, 'o').toString('base64')}`;
