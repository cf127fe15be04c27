import { z } from 'zod';
import { wireNumber } from '../http/wire.js';

/**
 * Token object (docs/meeting-api.md §1.3); only the fields token reuse needs are typed, and only
 * the token itself is required. Parse after `withoutNulls` (lib/http/wire.ts): the documented App
 * ID example answers `"forceLoginInd": null`, `"proxyToken": null`.
 */
export const tokenResponseSchema = z.lazy(() =>
  z.looseObject({
    accessToken: z.string().min(1),
    validPeriod: wireNumber.optional(),
    expireTime: wireNumber.optional(),
    createTime: wireNumber.optional(),
  }),
);
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
