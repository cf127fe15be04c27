// sdk-core-credential.ts is intentionally not re-exported: import it directly where the
// official SDK is used, so no other bundle pulls in @huaweicloud/huaweicloud-sdk-core.
export * from './app-id-signature.js';
export * from './cache-key.js';
export * from './connect-meeting.js';
export * from './login.js';
export * from './login-request.js';
export * from './memory-token-cache.js';
export * from './token-expiry.js';
export * from './token-provider.js';
export * from './types.js';
