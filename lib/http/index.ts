export * from './classify.js';
export * from './errors.js';
export * from './legacy-envelope.js';
export * from './retry-after.js';
export * from './transport.js';
export * from './wire.js';
