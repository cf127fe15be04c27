export * from './constants.js';
export * from './errors.js';
export * from './receive-delivery.js';
export { LOCAL_TEST_SECRET, parseWebhookSecrets } from './secrets.js';
export * from './sign.js';
export * from './types.js';
export * from './verify.js';
