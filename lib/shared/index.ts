export * from './clock.js';
export * from './log.js';
export * from './once.js';
export * from './secret.js';
