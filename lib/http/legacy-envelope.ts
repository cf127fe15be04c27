import { z } from 'zod';

/** Envelope of the legacy `/rest/usg/datacenter` dialect; shared by its login and its API calls. */
export const legacyEnvelopeSchema = z.looseObject({
  returnCode: z.union([z.string(), z.number()]),
  returnMessage: z.string().optional(),
  requestId: z.string().optional(),
  data: z.unknown().optional(),
});
export const LEGACY_SUCCESS = '000000000';
