export * from './apply-due-actions.js';
export * from './apply-event.js';
export * from './cleanup.js';
export * from './deletion-guard.js';
export * from './member-mapping.js';
export * from './offboarding.js';
export * from './stages.js';
export * from './types.js';
