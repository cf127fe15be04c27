export * from './adapter.js';
export * from './client.js';
export * from './crypto.js';
export * from './mapping.js';
export * from './payload.js';
export * from './signature.js';
