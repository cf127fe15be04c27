import { z } from 'zod';
import { meetingAccountSchema } from '../meeting/account.js';
import { once } from '../shared/once.js';
import { DEFAULT_MAX_EVENTS } from './constants.js';

/**
 * The HR event contract. One zod schema per event type; TypeScript types and the published
 * JSON Schema (events/schema/) are derived from these, never written twice.
 */

export const EVENT_TYPES = {
  hired: 'employee.hired',
  updated: 'employee.updated',
  terminated: 'employee.terminated',
  rehired: 'employee.rehired',
  adminGranted: 'admin.granted',
  adminRevoked: 'admin.revoked',
} as const;
export type EventType = (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES];

/**
 * What each type says about the employee's status and admin role when the event does not state
 * them. A stated value that contradicts its type is refused, never guessed.
 */
export const TYPE_IMPLIES: Readonly<
  Record<EventType, { readonly status?: 'active' | 'terminated'; readonly admin?: boolean }>
> = {
  [EVENT_TYPES.hired]: { status: 'active' },
  [EVENT_TYPES.rehired]: { status: 'active' },
  [EVENT_TYPES.updated]: {},
  // A leaver never keeps admin rights.
  [EVENT_TYPES.terminated]: { status: 'terminated', admin: false },
  [EVENT_TYPES.adminGranted]: { admin: true },
  [EVENT_TYPES.adminRevoked]: { admin: false },
};

const consistentWithType = (
  event: { type: EventType; status?: 'active' | 'terminated' | undefined; admin?: boolean | undefined },
  ctx: z.RefinementCtx,
  path: readonly (string | number)[] = [],
) => {
  const implied = TYPE_IMPLIES[event.type];
  for (const field of ['status', 'admin'] as const) {
    const stated = event[field];
    const expected = implied[field];
    if (stated !== undefined && expected !== undefined && stated !== expected) {
      ctx.addIssue({
        code: 'custom',
        message: `${event.type} cannot carry ${field} ${JSON.stringify(stated)}`,
        path: [...path, field],
      });
    }
  }
  if ((event.status ?? implied.status) === 'terminated' && (event.admin ?? implied.admin) === true) {
    ctx.addIssue({
      code: 'custom',
      message: 'a terminated employee cannot hold the admin role',
      path: [...path, event.admin === undefined ? 'status' : 'admin'],
    });
  }
};

/**
 * The schemas are built on first use, not at module load: their construction is about 4 ms of a
 * cold start (docs/design.md "Cold start"), and a function that is loaded is not yet parsing.
 * Each export is a `z.lazy` over the one set built; `eventSchemas()` gives the instances
 * themselves (JSON Schema generation matches on them).
 */
const build = () => {
  /**
   * Every string of an event is well-formed Unicode: a lone surrogate (JSON `"\ud800"`) has no
   * UTF-8 form, so it would reach Meeting, the store and the logs as U+FFFD or not at all, a
   * different value from the one HR sent. Refused on every path (webhook, queue, roster,
   * connectors), since they all parse with these schemas.
   */
  const text = () =>
    z.string().refine((value) => value.isWellFormed(), 'must be well-formed Unicode (no unpaired surrogate)');

  /**
   * A member's free text (name, titles, department, country). docs/meeting-api.md §2.1 gives only
   * lengths, no character set; control characters (C0, DEL and C1, whose U+009B starts a terminal escape like ESC) are never part of a name and
   * would reach terminals, CSV exports and Meeting's directory as they are (NUL, ESC sequences).
   * Spaces, accents and every script stay allowed.
   */
  const memberText = () =>
    text().regex(
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
      /^[^\x00-\x1f\x7f-\x9f]*$/,
      'must not contain control characters (U+0000-U+001F, U+007F-U+009F)',
    );

  /**
   * The Meeting account, length checked first and aborting: the shared account regex backtracks
   * quadratically on long input (e.g. 200k "@"), so it must only ever see at most 64 characters.
   */
  const memberAccountSchema = z.string().max(64, { abort: true }).pipe(meetingAccountSchema);

  /** The employee's full current fields; every event carries them so any event can upsert. */
  const memberFieldsSchema = z
    .object({
      name: memberText().trim().min(1).max(64).describe('Display name'),
      account: memberAccountSchema
        .optional()
        .describe('Meeting account (account/password mode). Defaults to the HR employee id.'),
      email: z.email().max(255).optional(),
      phone: z
        .string()
        .max(32)
        .regex(/^\+[0-9]+$/, 'phone: "+" and digits with the country prefix')
        .optional(),
      country: memberText()
        .min(1)
        .max(255)
        .optional()
        .describe('Huawei country code, e.g. chinaPR, UK (not GB)'),
      englishName: memberText().max(64).optional(),
      deptCode: memberText()
        .min(1)
        .max(32)
        .optional()
        .describe('Meeting department code (the HR org-unit id)'),
      title: memberText().max(32).optional(),
    })
    .strict()
    .superRefine((m, ctx) => {
      if (!m.email && !m.phone)
        ctx.addIssue({ code: 'custom', message: 'email or phone is required', path: ['email'] });
      if (m.phone && !m.country)
        ctx.addIssue({ code: 'custom', message: 'phone requires country', path: ['country'] });
    })
    // An id makes the published JSON Schemas define the member once ($defs) instead of inlining it per event.
    .meta({
      id: 'MemberFields',
      description: "The employee's full current fields (email or phone required)",
    });

  /** The stable HR key of an employee (events, roster rows). */
  const employeeIdSchema = z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9_.@-]+$/, 'employeeId: letters, digits, _ . @ -')
    .describe('Stable HR employee key');

  const baseEvent = {
    // Becomes the SQS FIFO deduplication id: 1-128 printable ASCII characters, no spaces.
    id: z
      .string()
      .min(1)
      .max(128)
      .regex(/^[\x21-\x7e]+$/, 'id: printable ASCII without spaces')
      .describe('Unique event id (idempotency key)'),
    employeeId: employeeIdSchema,
    version: z
      .number()
      .int()
      .nonnegative()
      .max(Number.MAX_SAFE_INTEGER)
      .describe(
        'HR-side version (e.g. change timestamp in ms); older versions than the last applied are skipped',
      ),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    effectiveAt: z.iso
      .datetime({ offset: true })
      .optional()
      .describe('When the change takes effect; future-dated events are applied when due'),
    status: z
      .enum(['active', 'terminated'])
      .optional()
      .describe(
        "The employee's employment status after this change. Omitted: hire and rehire mean active, termination means terminated, other types say nothing about it",
      ),
    admin: z
      .boolean()
      .optional()
      .describe(
        'Whether the employee holds the enterprise admin role after this change. Omitted: admin.granted means true, admin.revoked and employee.terminated mean false, other types say nothing about it',
      ),
    member: memberFieldsSchema,
  };

  const eventOf = <T extends EventType>(type: T) =>
    z
      .object({ type: z.literal(type), ...baseEvent })
      .strict()
      .superRefine((event, ctx) => consistentWithType(event, ctx));

  const hiredEventSchema = eventOf(EVENT_TYPES.hired);
  const updatedEventSchema = eventOf(EVENT_TYPES.updated);
  const terminatedEventSchema = eventOf(EVENT_TYPES.terminated);
  const rehiredEventSchema = eventOf(EVENT_TYPES.rehired);
  const adminGrantedEventSchema = eventOf(EVENT_TYPES.adminGranted);
  const adminRevokedEventSchema = eventOf(EVENT_TYPES.adminRevoked);

  const hrEventSchema = z.discriminatedUnion('type', [
    hiredEventSchema,
    updatedEventSchema,
    terminatedEventSchema,
    rehiredEventSchema,
    adminGrantedEventSchema,
    adminRevokedEventSchema,
  ]);

  /**
   * CloudEvents 1.0 structured envelope; `data` holds the event minus id/type. `time` stands in
   * for `data.occurredAt` when that is absent. Extension attributes are not accepted (strict),
   * like unknown fields of a bare event, so a typo never passes silently.
   */
  const cloudEventSchema = z
    .object({
      specversion: z.literal('1.0'),
      id: baseEvent.id,
      source: text().min(1).max(1024).describe('URI-reference of the sending HR system'),
      type: z.enum(Object.values(EVENT_TYPES) as [EventType, ...EventType[]]),
      time: z.iso.datetime({ offset: true }).optional(),
      datacontenttype: z.literal('application/json').optional(),
      dataschema: text().min(1).max(1024).optional(),
      subject: text().max(1024).optional(),
      data: z
        .object({
          employeeId: baseEvent.employeeId,
          version: baseEvent.version,
          occurredAt: baseEvent.occurredAt,
          effectiveAt: baseEvent.effectiveAt,
          status: baseEvent.status,
          admin: baseEvent.admin,
          member: memberFieldsSchema,
        })
        .strict(),
    })
    .strict()
    .superRefine((envelope, ctx) =>
      consistentWithType({ type: envelope.type, ...envelope.data }, ctx, ['data']),
    );

  /** One item of a delivery: a bare event or a CloudEvents envelope. */
  const deliveryItemSchema = z.union([hrEventSchema, cloudEventSchema]).meta({ id: 'DeliveryItem' });

  /**
   * A webhook delivery: one item or an array of 1..DEFAULT_MAX_EVENTS items (mixed allowed).
   * Event ids must be unique within a delivery; parseDelivery checks that (JSON Schema cannot).
   */
  const deliverySchema = z.union([
    deliveryItemSchema,
    z.array(deliveryItemSchema).min(1).max(DEFAULT_MAX_EVENTS),
  ]);

  return {
    memberAccountSchema,
    memberFieldsSchema,
    employeeIdSchema,
    hiredEventSchema,
    updatedEventSchema,
    terminatedEventSchema,
    rehiredEventSchema,
    adminGrantedEventSchema,
    adminRevokedEventSchema,
    hrEventSchema,
    cloudEventSchema,
    deliveryItemSchema,
    deliverySchema,
  };
};

export const eventSchemas = once(build);
type Schemas = ReturnType<typeof eventSchemas>;

/** The Meeting account, length checked first (the shared pattern must never see more than 64 characters). */
export const memberAccountSchema = z.lazy(() => eventSchemas().memberAccountSchema);
/** The employee's full current fields; every event carries them so any event can upsert. */
export const memberFieldsSchema = z.lazy(() => eventSchemas().memberFieldsSchema);
/** The stable HR key of an employee (events, roster rows). */
export const employeeIdSchema = z.lazy(() => eventSchemas().employeeIdSchema);
export const hiredEventSchema = z.lazy(() => eventSchemas().hiredEventSchema);
export const updatedEventSchema = z.lazy(() => eventSchemas().updatedEventSchema);
export const terminatedEventSchema = z.lazy(() => eventSchemas().terminatedEventSchema);
export const rehiredEventSchema = z.lazy(() => eventSchemas().rehiredEventSchema);
export const adminGrantedEventSchema = z.lazy(() => eventSchemas().adminGrantedEventSchema);
export const adminRevokedEventSchema = z.lazy(() => eventSchemas().adminRevokedEventSchema);
export const hrEventSchema = z.lazy(() => eventSchemas().hrEventSchema);
/** CloudEvents 1.0 structured envelope; `data` holds the event minus id/type. */
export const cloudEventSchema = z.lazy(() => eventSchemas().cloudEventSchema);
/** One item of a delivery: a bare event or a CloudEvents envelope. */
export const deliveryItemSchema = z.lazy(() => eventSchemas().deliveryItemSchema);
/** A webhook delivery: one item or an array of 1..DEFAULT_MAX_EVENTS items (unique ids: parseDelivery). */
export const deliverySchema = z.lazy(() => eventSchemas().deliverySchema);

export type MemberFields = z.infer<Schemas['memberFieldsSchema']>;
export type HrEvent = z.infer<Schemas['hrEventSchema']>;
export type HiredEvent = z.infer<Schemas['hiredEventSchema']>;
export type TerminatedEvent = z.infer<Schemas['terminatedEventSchema']>;
export type CloudEvent = z.infer<Schemas['cloudEventSchema']>;
