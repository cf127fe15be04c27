import { createBambooHrRuntime } from '../shared/connector-runtime.js';
import { createHttpFunction } from '../shared/http-function.js';
import { lazy } from '../shared/lazy.js';
import { logger } from '../shared/observability.js';

/** POST /hr/bamboohr: BambooHR event-based webhooks (docs/connectors.md). 404 unless enabled. */
export const handler = createHttpFunction(
  lazy(() => createBambooHrRuntime(process.env, logger)),
  'BambooHR webhook',
);
