export * from './aws-lite-sqs.js';
export * from './redelivery.js';
export * from './sqs-dead-letters.js';
export * from './sqs-message-sink.js';
export * from './sqs-port.js';
export * from './sqs-visibility.js';
export * from './types.js';
