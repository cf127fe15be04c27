import { z } from 'zod';
import { meetingAccountSchema } from '../meeting/account.js';
import { EVENT_TYPES, type EventType, eventSchemas } from './schemas.js';

export type JsonSchema = Record<string, unknown>;

// The schema instances themselves (not their lazy exports): `override` matches on them.
const eventSchemasByType = (): Record<EventType, z.ZodType> => {
  const s = eventSchemas();
  return {
    [EVENT_TYPES.hired]: s.hiredEventSchema,
    [EVENT_TYPES.updated]: s.updatedEventSchema,
    [EVENT_TYPES.terminated]: s.terminatedEventSchema,
    [EVENT_TYPES.rehired]: s.rehiredEventSchema,
    [EVENT_TYPES.adminGranted]: s.adminGrantedEventSchema,
    [EVENT_TYPES.adminRevoked]: s.adminRevokedEventSchema,
  };
};

/**
 * Puts back into JSON Schema the rules zod keeps in refinements or pipes, which
 * `z.toJSONSchema` cannot see: "email or phone", "phone needs country", and the account
 * pattern that sits behind the length guard of `memberAccountSchema`.
 */
const override = (ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void => {
  const { memberFieldsSchema, memberAccountSchema } = eventSchemas();
  if (ctx.zodSchema === memberFieldsSchema) {
    ctx.jsonSchema.anyOf = [{ required: ['email'] }, { required: ['phone'] }];
    ctx.jsonSchema.dependentRequired = { phone: ['country'] };
  }
  if (ctx.zodSchema === memberAccountSchema) {
    const { pattern } = z.toJSONSchema(meetingAccountSchema, { io: 'input' });
    ctx.jsonSchema.pattern = pattern;
  }
};

const toJsonSchema = (schema: z.ZodType, title: string, description: string): JsonSchema => {
  const { $schema, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', override });
  return { $schema, title, description, ...rest };
};

/**
 * The JSON Schemas (draft 2020-12) published for integrators, keyed by file name: one per
 * event type, the union of all, the CloudEvents envelope, and a whole delivery. Generated
 * from the zod schemas, so the contract is written once.
 */
export const buildJsonSchemas = (): Record<string, JsonSchema> => {
  const files: Record<string, JsonSchema> = {};
  const { hrEventSchema, cloudEventSchema, deliverySchema } = eventSchemas();
  for (const [type, schema] of Object.entries(eventSchemasByType())) {
    files[`${type}.schema.json`] = toJsonSchema(
      schema,
      `HR event ${type}`,
      `The "${type}" HR event (bare form).`,
    );
  }
  files['hr-event.schema.json'] = toJsonSchema(
    hrEventSchema,
    'HR event',
    'Any HR event (bare form), by `type`.',
  );
  files['cloudevent.schema.json'] = toJsonSchema(
    cloudEventSchema,
    'HR event (CloudEvents 1.0)',
    'An HR event in a CloudEvents 1.0 structured envelope; `data` is the event without `id` and `type`.',
  );
  files['delivery.schema.json'] = toJsonSchema(
    deliverySchema,
    'HR webhook delivery',
    'The body of POST /hr/events: one event or an array of events, each bare or a CloudEvent. ' +
      'Event ids must be unique within a delivery.',
  );
  return files;
};

/** The schema files as written to events/schema/: pretty, stable, newline-terminated. */
export const renderJsonSchemaFiles = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(buildJsonSchemas()).map(([name, schema]) => [
      name,
      `${JSON.stringify(schema, null, 2)}\n`,
    ]),
  );
