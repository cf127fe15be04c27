import { createFeishuRuntime } from '../shared/connector-runtime.js';
import { createHttpFunction } from '../shared/http-function.js';
import { lazy } from '../shared/lazy.js';
import { logger } from '../shared/observability.js';

/** POST /hr/feishu: Feishu/Lark contact v3 user events (docs/connectors.md). 404 unless enabled. */
export const handler = createHttpFunction(
  lazy(() => createFeishuRuntime(process.env, logger)),
  'Feishu webhook',
);
