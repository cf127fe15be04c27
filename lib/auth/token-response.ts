import { z } from 'zod';

/** Token object (§1.3); only the fields token reuse needs are required. */
export const tokenResponseSchema = z.looseObject({
  accessToken: z.string().min(1),
  validPeriod: z.number().optional(),
  expireTime: z.number().optional(),
  createTime: z.number().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;
