import { createBambooHrRuntime } from '../shared/connector-runtime.js';
import { readEnvironment } from '../shared/environment.js';
import { createHttpFunction, type HttpReceiver } from '../shared/http-function.js';
import { lazy } from '../shared/lazy.js';
import { observabilityFor } from '../shared/observability.js';

/** Exported for the local stack, which runs the function's runtime with it as Lambda does. */
export const { logger } = observabilityFor('hr-bamboohr');

/** POST /hr/bamboohr: BambooHR event-based webhooks (docs/connectors.md). 404 unless enabled. */
export const createBambooHrHandler = (getReceiver: () => Promise<HttpReceiver>) =>
  createHttpFunction(getReceiver, 'BambooHR webhook', logger);

export const handler = createBambooHrHandler(lazy(() => createBambooHrRuntime(readEnvironment(), logger)));
