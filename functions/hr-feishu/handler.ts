import { createFeishuRuntime } from '../shared/connector-runtime.js';
import { readEnvironment } from '../shared/environment.js';
import { createHttpFunction, type HttpReceiver } from '../shared/http-function.js';
import { lazy } from '../shared/lazy.js';
import { observabilityFor } from '../shared/observability.js';

/** Exported for the local stack, which runs the function's runtime with it as Lambda does. */
export const { logger } = observabilityFor('hr-feishu');

/** POST /hr/feishu: Feishu/Lark contact v3 user events (docs/connectors.md). 404 unless enabled. */
export const createFeishuHandler = (getReceiver: () => Promise<HttpReceiver>) =>
  createHttpFunction(getReceiver, 'Feishu webhook', logger);

export const handler = createFeishuHandler(lazy(() => createFeishuRuntime(readEnvironment(), logger)));
