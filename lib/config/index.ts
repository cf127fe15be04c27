export * from './connectors-config.js';
export * from './lifecycle-config.js';
export * from './meeting-config.js';
export * from './runtime-config.js';
