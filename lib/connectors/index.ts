export * from './canonical.js';
export * from './errors.js';
export * from './field-map.js';
export * from './receiver.js';
export * from './timestamp.js';
export * from './types.js';
export * from './vendor-http.js';
