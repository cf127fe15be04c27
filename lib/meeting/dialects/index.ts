export * from './current.js';
export * from './legacy.js';
export * from './select-dialect.js';
export * from './types.js';
