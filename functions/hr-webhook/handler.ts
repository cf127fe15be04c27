import type { DeliveryRequest, DeliveryResponse } from '../../lib/webhook/receive-delivery.js';
import { createHttpFunction } from '../shared/http-function.js';
import { lazy } from '../shared/lazy.js';
import { logger } from '../shared/observability.js';
import { createWebhookRuntime } from '../shared/webhook-runtime.js';

type Receiver = (request: DeliveryRequest) => Promise<DeliveryResponse>;

/** HTTP adapter: raw body + headers in, the receiver's answer out. No logic of its own. */
export const createHrWebhookHandler = (getReceiver: () => Promise<Receiver>) =>
  createHttpFunction(getReceiver, 'webhook');

export const handler = createHrWebhookHandler(lazy(() => createWebhookRuntime(process.env, logger)));
