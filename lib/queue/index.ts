export * from './local-fifo-queue.js';
export * from './sqs-message-sink.js';
export * from './types.js';
