import { z } from 'zod';
import { wireText } from './wire.js';

/**
 * Envelope of the legacy `/rest/usg/datacenter` dialect (docs/meeting-api.md §7); shared by its
 * login and its API calls. Parse after `withoutNulls`: `data` may be null or absent.
 */
export const legacyEnvelopeSchema = z.lazy(() =>
  z.looseObject({
    returnCode: z.union([z.string(), z.number()]),
    returnMessage: wireText.optional(),
    requestId: wireText.optional(),
    data: z.unknown().optional(),
  }),
);
export const LEGACY_SUCCESS = '000000000';
