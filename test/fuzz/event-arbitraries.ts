import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { cloudEventToHrEvent } from '../../lib/events/cloud-event.js';
import {
  cloudEventSchema,
  DEFAULT_MAX_EVENTS,
  deliverySchema,
  EVENT_TYPES,
  type HrEvent,
  hrEventSchema,
} from '../../lib/events/index.js';
import { sampleMember } from '../../local/hr-event-factory.js';

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
    { weight: 8, arbitrary: uniqueId('fz-') },
    { weight: 1, arbitrary: uniqueId('').map((id) => id.padEnd(128, 'x')) },
    { weight: 1, arbitrary: fc.constantFrom('', 'x'.repeat(129)) },
    ...(queueSafeIds ? [] : [{ weight: 3, arbitrary: queueUnsafeId }]),
  );

const name = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 66 }),
  fc.constantFrom('A', 'x'.repeat(64), 'x'.repeat(65), ' padded ', '   ', '张伟', 'Zoë', 'e\u0301', '\u0000'),
  fc.constant(`${'x'.repeat(63)}😀`), // 64 code points, 65 UTF-16 units
);
const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2025-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().replace(/\.\d{3}Z$/, '+08:00')));
const date = fc.oneof(
  { weight: 3, arbitrary: isoDate },
  { weight: 1, arbitrary: fc.constantFrom('2026-01-05T09:30:00', '2026-02-30T00:00:00Z', 'yesterday', '') },
);
const version = fc.oneof(
  fc.constantFrom(0, 1, Number.MAX_SAFE_INTEGER),
  fc.constantFrom(-1, 1.5, Number.MAX_SAFE_INTEGER + 1, '7', null),
  fc.maxSafeNat(),
);
const employeeId = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.@-]{1,64}$/) },
  { weight: 1, arbitrary: fc.constantFrom('E'.repeat(64), 'E'.repeat(65), 'a b', 'é', '') },
);
const contact = fc.oneof(
  fc.record({ email: fc.constantFrom('a@corp.example', 'zoë@corp.example', 'not-an-email', `${'a'.repeat(250)}@x.co`) }),
  fc.record({ phone: fc.constantFrom('+8613800138000', '+86', '12345'), country: fc.constantFrom('chinaPR', 'UK') }),
  fc.constantFrom({}, { phone: '+8613800138000' }),
);
const member = fc
  .tuple(
    contact,
    fc.record(
      {
        name,
        deptCode: fc.constantFrom('D', 'D'.repeat(32), 'D'.repeat(33)),
        title: fc.constantFrom('', 'T'.repeat(32), 'T'.repeat(33)),
        englishName: fc.string({ maxLength: 66 }),
        nickname: fc.constant('unknown field'),
      },
      { requiredKeys: ['name'] },
    ),
  )
  .map(([c, rest]) => ({ ...rest, ...c }));

/** A bare event or a CloudEvents envelope, every field at or around its limits; often invalid. */
export const edgeEvent = (options: { queueSafeIds: boolean }) =>
  fc
    .record(
      {
        type: fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...TYPES) }, fc.constant('employee.fired')),
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
    edgeEvent(options),
    fc.array(edgeEvent(options), { minLength: 1, maxLength: 3 }),
    edgeEvent(options).map((event) => [event, event]),
    fc.constant([]),
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
