import { randomUUID } from 'node:crypto';
import { signWebhook } from '../lib/webhook/sign.js';
import { deliver } from '../simulator/vendor-server.js';

export interface PostResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly webhookId: string;
}

/**
 * What an HR system does: sign the raw body with Standard Webhooks headers and POST it.
 * Used by the local demo, the dev server's instructions, tests, the benchmark and chaos runs.
 */
export const postSignedWebhook = async (
  url: string,
  secret: string,
  payload: unknown,
  options: { webhookId?: string; timestamp?: number; headers?: Record<string, string> } = {},
): Promise<PostResult> => {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const webhookId = options.webhookId ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signed = signWebhook({ secret, id: webhookId, timestamp, body });
  const delivery = await deliver(url, body, {
    'content-type': 'application/json',
    ...signed,
    ...options.headers,
  });
  return { ...delivery, webhookId };
};
