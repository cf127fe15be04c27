export * from './dynamo-lifecycle-store.js';
export * from './dynamo-rate-limiter.js';
export * from './dynamo-token-cache.js';
export * from './errors.js';
export * from './idempotency.js';
export * from './keys.js';
export * from './table.js';
export * from './types.js';
