export * from './sqs-dead-letters.js';
export * from './sqs-message-sink.js';
export * from './types.js';
