export * from './sqs-message-sink.js';
export * from './types.js';
