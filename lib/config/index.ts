export * from './connectors-config.js';
export * from './errors.js';
export * from './functions.js';
export * from './lifecycle-config.js';
export * from './meeting-config.js';
export * from './settings.js';
export * from './store-config.js';
export * from './webhook-config.js';
