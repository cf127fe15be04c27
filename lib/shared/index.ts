export * from './clock.js';
export * from './log.js';
export * from './secret.js';
