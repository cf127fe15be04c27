import type { DeliveryRequest, DeliveryResponse } from '../../lib/webhook/receive-delivery.js';
import { readEnvironment } from '../shared/environment.js';
import { createHttpFunction } from '../shared/http-function.js';
import { lazy } from '../shared/lazy.js';
import { observabilityFor } from '../shared/observability.js';
import { createWebhookRuntime } from '../shared/webhook-runtime.js';

/** Exported for the local stack, which runs the function's runtime with it as Lambda does. */
export const { logger } = observabilityFor('hr-webhook');

type Receiver = (request: DeliveryRequest) => Promise<DeliveryResponse>;

/** HTTP adapter: raw body + headers in, the receiver's answer out. No logic of its own. */
export const createHrWebhookHandler = (getReceiver: () => Promise<Receiver>) =>
  createHttpFunction(getReceiver, 'webhook', logger);

export const handler = createHrWebhookHandler(lazy(() => createWebhookRuntime(readEnvironment(), logger)));
