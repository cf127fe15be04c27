import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { cloudEventToHrEvent } from '../../lib/events/cloud-event.js';
import {
  cloudEventSchema,
  DEFAULT_MAX_EVENTS,
  deliveryItemSchema,
  deliverySchema,
  EVENT_TYPES,
  type HrEvent,
  hrEventSchema,
} from '../../lib/events/index.js';
import { sampleMember } from '../../local/hr-event-factory.js';
import { withDuplicate } from '../events/duplicate-keys.js';

/**
 * Arbitraries for HR events at the edges of the contract (lib/events/schemas.ts), and an oracle
 * that says whether a delivery is valid from the published zod schemas alone.
 */

const TYPES = Object.values(EVENT_TYPES);
const RUN = randomUUID().slice(0, 8);
let sequence = 0;
/** Unique per generated value (also across shrinking), so deliveries never collide by accident. */
export const uniqueId = (prefix: string) => fc.constant(null).map(() => `${prefix}${RUN}-${++sequence}`);

/** Schema-valid ids that SQS cannot take as MessageDeduplicationId (space, non-ASCII). */
const queueUnsafeId = fc
  .constantFrom(' ', 'evt 1 ', 'évènement-', '事件-', '😀-', '\t')
  .chain((prefix) => uniqueId(prefix));
const eventId = (queueSafeIds: boolean) =>
  fc.oneof(
    { weight: 6, arbitrary: uniqueId('fz-') },
    { weight: 1, arbitrary: uniqueId('').map((id) => id.padEnd(128, 'x')) },
    { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(129)) },
    ...(queueSafeIds ? [] : [{ weight: 3, arbitrary: queueUnsafeId }]),
  );

/** Mostly values the schema takes (many at its limits), sometimes just past them. */
const edge = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 15, arbitrary: valid }, { weight: 1, arbitrary: invalid });

/** Text no member field takes: a lone surrogate (JSON "\ud800") or a C0/DEL/C1 control character in a real value. */
const badText = fc
  .tuple(
    fc.constantFrom('Zoë', '张伟', 'x', ''),
    fc.oneof(
      fc.integer({ min: 0xd800, max: 0xdfff }),
      fc.integer({ min: 0, max: 0x1f }),
      fc.integer({ min: 0x7f, max: 0x9f }),
    ),
  )
  .map(([text, unit]) => `${text}${String.fromCharCode(unit)}${text}`);

const name = edge<string>(
  fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== ''),
    fc.constantFrom(
      'A',
      'x'.repeat(64),
      ' padded ',
      '张伟',
      'Zoë',
      'e\u0301',
      `${' '.repeat(10)}${'x'.repeat(64)}`,
    ),
  ),
  fc.oneof(
    fc.constantFrom('', '   ', 'x'.repeat(65), `${'x'.repeat(63)}😀`), // the last: 64 code points, 65 UTF-16 units
    badText,
  ),
);
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2025-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().replace(/\.\d{3}Z$/, '+08:00')));
const date = edge(isoDate, fc.constantFrom('2026-01-05T09:30:00', '2026-02-30T00:00:00Z', 'yesterday', ''));
const version = edge<unknown>(
  fc.oneof(fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER), fc.maxSafeNat()),
  fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '7', null),
);
const employeeId = edge(
  fc.oneof(fc.stringMatching(/^[A-Za-z0-9_.@-]{1,64}$/), fc.constant('E'.repeat(64))),
  fc.constantFrom('E'.repeat(65), 'a b', 'é', ''),
);
const contact = edge<Record<string, string>>(
  fc.oneof(
    fc.record({ email: fc.constantFrom('a@corp.example', 'first.last@corp.example') }),
    fc.constant({ phone: '+8613800138000', country: 'chinaPR' }),
  ),
  fc.constantFrom<Record<string, string>>(
    {},
    { phone: '+8613800138000' },
    { email: 'not-an-email' },
    { email: 'zoë@corp.example' },
  ),
);
const optionalFields = fc.record(
  {
    deptCode: edge(fc.constantFrom('D', 'D'.repeat(32)), fc.oneof(fc.constant('D'.repeat(33)), badText)),
    title: edge(fc.constantFrom('', 'T'.repeat(32)), fc.oneof(fc.constant('T'.repeat(33)), badText)),
    englishName: edge(fc.string({ maxLength: 64 }), fc.oneof(fc.constant('e'.repeat(65)), badText)),
  },
  { requiredKeys: [] },
);
const unknownField = edge<Record<string, string>>(
  fc.constant({}),
  fc.constant({ nickname: 'not in the contract' }),
);
const member = fc
  .tuple(name, contact, optionalFields, unknownField)
  .map(([n, c, optional, unknown]) => ({ name: n, ...optional, ...c, ...unknown }));

/** A bare event or a CloudEvents envelope, every field at or around its limits; often invalid. */
export const edgeEvent = (options: { queueSafeIds: boolean }) =>
  fc
    .record(
      {
        type: edge<string>(fc.constantFrom(...TYPES), fc.constant('employee.fired')),
        id: eventId(options.queueSafeIds),
        employeeId,
        version,
        occurredAt: date,
        effectiveAt: date,
        member,
      },
      { requiredKeys: ['type', 'id', 'employeeId', 'version', 'member'] },
    )
    .chain((event) =>
      fc.boolean().map((cloud): Record<string, unknown> => {
        if (!cloud) return event;
        const { type, id, occurredAt, ...data } = event;
        return { specversion: '1.0', id, source: '/hr', type, ...(occurredAt && { time: occurredAt }), data };
      }),
    );

/** One event or an array of them (sometimes empty, sometimes with a repeated id). */
export const edgeDelivery = (options: { queueSafeIds: boolean }) =>
  fc.oneof(
    { weight: 6, arbitrary: edgeEvent(options) },
    { weight: 3, arbitrary: fc.array(edgeEvent(options), { minLength: 1, maxLength: 3 }) },
    { weight: 1, arbitrary: edgeEvent(options).map((event) => [event, event]) },
    { weight: 1, arbitrary: fc.constant([]) },
  );

/** A schema-valid event with an SQS-safe id, for `employeeId`. */
export const validEvent = (employeeId: string, eventVersion: number) =>
  fc.record({ type: fc.constantFrom(...TYPES), id: uniqueId('ok-'), n: fc.nat(999) }).map(
    ({ type, id, n }): HrEvent => ({
      type,
      id,
      employeeId,
      version: eventVersion,
      member: sampleMember(employeeId, n, { name: `Zoë 张伟 ${n}` }),
    }),
  );

/** The oracle: the events a delivery normalises to if the published schemas accept it, else undefined. */
export const expectedEvents = (delivery: unknown): HrEvent[] | undefined => {
  if (!deliverySchema.safeParse(delivery).success) return undefined;
  const items = Array.isArray(delivery) ? delivery : [delivery];
  if (items.length > DEFAULT_MAX_EVENTS) return undefined;
  const events = items.map((item: Record<string, unknown>) =>
    'specversion' in item ? cloudEventToHrEvent(cloudEventSchema.parse(item)) : hrEventSchema.parse(item),
  );
  return new Set(events.map((e) => e.id)).size === events.length ? events : undefined;
};

/** A body the queue contract (docs/queue-contract.md) takes: one event, bare or a CloudEvent. */
const isQueueEvent = (body: string): boolean => {
  try {
    return deliveryItemSchema.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
};

/** A valid event (bare or enveloped) with one duplicate key injected somewhere: JSON.parse alone would take it. */
const duplicateKeyBody = fc
  .tuple(validEvent('E1', 1), fc.boolean())
  .map(([event, cloud]) => {
    const { type, id, ...data } = event;
    return cloud ? { specversion: '1.0', id, source: '/hr', type, data } : event;
  })
  .chain((event) => withDuplicate(fc.constant(event as never)))
  .map(({ text }) => text);

/** Bodies no reader takes for an event: not JSON, the wrong schema, huge, unicode. */
const refusedBody = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
    fc.constantFrom(
      '{',
      'undefined',
      "{'type':'employee.hired'}",
      '{"type":"employee.hired",}',
      'NaN',
      '\u0000',
    ),
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
    edgeEvent({ queueSafeIds: true }).map((event) => JSON.stringify(event)),
    fc.constantFrom(
      JSON.stringify({
        type: 'employee.hired',
        id: 'huge',
        employeeId: 'E1',
        version: 1,
        member: { name: 'x'.repeat(250_000), email: 'a@corp.example' },
      }),
      JSON.stringify(Array.from({ length: 40_000 }, (_, i) => i)),
      '"😀"',
      '{"类型":"入职","员工":"张伟"}',
    ),
  )
  .filter((body) => body.length > 0 && !isQueueEvent(body));

/**
 * Queue bodies the worker must refuse: not JSON, the wrong schema, duplicate keys, huge, unicode.
 * Never empty.
 */
export const malformedBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 1, arbitrary: duplicateKeyBody },
  { weight: 5, arbitrary: refusedBody },
);
