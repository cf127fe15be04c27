export * from './meeting-config.js';
