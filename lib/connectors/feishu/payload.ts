import { z } from 'zod';
import { vendorEventTypes } from '../types.js';

/** Contact v3 user events (docs/connectors.md "Feishu/Lark"). */
export const FEISHU_EVENT_TYPES = vendorEventTypes({
  created: 'contact.user.created_v3',
  updated: 'contact.user.updated_v3',
  deleted: 'contact.user.deleted_v3',
});

/** With an Encrypt Key every body is `{"encrypt": "<base64>"}`. */
export const encryptedBodySchema = z.object({ encrypt: z.string().min(1).max(1_000_000) });

/** The URL-verification request sent when the request URL is saved in the console. */
export const challengeSchema = z.object({
  type: z.literal('url_verification'),
  challenge: z.string().min(1).max(1000),
  token: z.string().max(1000).nullish(),
});

const userIds = {
  open_id: z.string().min(1).max(64).nullish(),
  union_id: z.string().min(1).max(64).nullish(),
  user_id: z.string().min(1).max(64).nullish(),
};

/** Schema 2.0 envelope, read tolerantly (unknown fields ignored, null = absent). */
export const eventEnvelopeSchema = z.object({
  schema: z.literal('2.0'),
  header: z.object({
    event_id: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[\x21-\x7e]+$/, 'event_id: printable ASCII'),
    event_type: z.string().max(200),
    create_time: z.string().max(20).nullish(),
    token: z.string().max(1000).nullish(),
    app_id: z.string().max(100).nullish(),
    tenant_key: z.string().max(100).nullish(),
  }),
  event: z.object({
    object: z.looseObject(userIds),
    old_object: z.looseObject({}).nullish(),
  }),
});
export type FeishuEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** `status` of a user (all booleans; absent = false). */
const userStatusSchema = z.object({
  is_frozen: z.boolean().nullish(),
  is_resigned: z.boolean().nullish(),
  is_activated: z.boolean().nullish(),
  is_exited: z.boolean().nullish(),
  is_unjoin: z.boolean().nullish(),
});

/** A user as GET /open-apis/contact/v3/users/:user_id returns it; other fields are kept for mapping. */
export const feishuUserSchema = z.looseObject({
  ...userIds,
  name: z.string().nullish(),
  status: userStatusSchema.nullish(),
});
export type FeishuUser = z.infer<typeof feishuUserSchema>;

/** Every Open API answer: `code` 0 is success. */
export const apiEnvelopeSchema = z.looseObject({ code: z.number().int(), msg: z.string().nullish() });
export const tokenAnswerSchema = z.looseObject({
  code: z.literal(0),
  tenant_access_token: z.string().min(1).max(8192),
  expire: z.number().int().positive(),
});
export const userAnswerSchema = z.looseObject({
  code: z.literal(0),
  data: z.looseObject({ user: feishuUserSchema }),
});
