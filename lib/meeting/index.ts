export * from './api-names.js';
export * from './client.js';
export * from './dialects/index.js';
export * from './paging.js';
export * from './rate-limiter.js';
export * from './retry.js';
export * from './schemas.js';
export * from './types.js';
