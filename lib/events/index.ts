export * from './cloud-event.js';
export * from './constants.js';
export type { DeliveryError } from './delivery-errors.js';
export * from './errors.js';
export * from './json-schema.js';
export * from './parse-delivery.js';
export * from './parse-queued-event.js';
export * from './schemas.js';
export * from './strict-json.js';
