import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES } from '../../lib/events/constants.js';
import { formatPath } from '../../lib/events/delivery-errors.js';
import { EventValidationError } from '../../lib/events/errors.js';
import { parseDelivery } from '../../lib/events/parse-delivery.js';
import { parseQueuedEvent, type QueuedMessageContext } from '../../lib/events/parse-queued-event.js';
import { DUPLICATE_KEY_MESSAGE } from '../../lib/events/strict-json.js';
import { withDuplicate } from './duplicate-keys.js';
import { cloudHire, hire, readJson } from './fixtures.js';

const failureWith = (body: string, context: QueuedMessageContext): EventValidationError => {
  try {
    parseQueuedEvent(body, context);
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected parseQueuedEvent to throw');
};
const failure = (body: string) => failureWith(body, {});

describe('parseQueuedEvent', () => {
  it('parses the bodies the webhook puts on the queue', () => {
    const { Records } = readJson('triggers', 'sqs-fifo-batch.json') as { Records: { body: string }[] };
    for (const record of Records) expect(parseQueuedEvent(record.body)).toEqual(JSON.parse(record.body));
  });

  it('throws a permanent EventValidationError that names paths, not values', () => {
    const error = failure(
      JSON.stringify(hire({ version: -1, member: { name: 'n', email: 'secret-person@nowhere' } })),
    );
    expect(error.kind).toBe('permanent');
    expect(error.errors.map((e) => e.path)).toEqual(['$.version', '$.member.email']);
    expect(error.message).toMatch(
      /^queued event is invalid: \$\.version: .+; \$\.member\.email: Invalid email address$/,
    );
    expect(error.message).not.toContain('secret-person');
  });

  it('takes a CloudEvents envelope as a direct producer may write it, normalised like the webhook does', () => {
    const envelope = readJson('hr', 'cloudevent-hired.json');
    const delivered = parseDelivery(envelope);
    expect(delivered.ok).toBe(true);
    expect(parseQueuedEvent(JSON.stringify(envelope))).toEqual(delivered.ok && delivered.events[0]);
    expect(parseQueuedEvent(JSON.stringify(cloudHire()))).toMatchObject({ id: 'evt-ce-1', employeeId: 'E2' });
  });

  it('refuses arrays and broken JSON, and envelopes as strictly as the webhook', () => {
    expect(failure(JSON.stringify([hire()])).message).toBe(
      'queued event is invalid: $: expected an event object, got array',
    );
    const broken = failure('{"name":"张伟","phone":"+8613800138000"');
    expect(broken.message).toBe('queued event is not valid JSON');
    expect(JSON.stringify({ ...broken, cause: broken.cause })).not.toContain('138');
    expect(failure(JSON.stringify(cloudHire({ extension: 'x' }))).errors).toEqual([
      { path: '$', message: 'unknown field: "extension"' },
    ]);
    expect(failure(JSON.stringify(cloudHire({ specversion: '0.3' }))).errors.map((e) => e.path)).toEqual([
      '$.specversion',
    ]);
  });

  it("refuses duplicate keys at any depth, naming the first one's path (the webhook's rule)", () => {
    const bare = JSON.stringify(hire()).replace(/}$/, ',"type":"admin.granted"}');
    expect(JSON.parse(bare).type).toBe('admin.granted');
    const error = failure(bare);
    expect(error.kind).toBe('permanent');
    expect(error.message).toBe(`queued event is invalid: $.type: ${DUPLICATE_KEY_MESSAGE}`);
    const nested = JSON.stringify(cloudHire()).replace('"member":{', '"member":{"name":"Other",');
    expect(failure(nested).errors).toEqual([{ path: '$.data.member.name', message: DUPLICATE_KEY_MESSAGE }]);
  });

  it('refuses a duplicate injected anywhere into a valid event, bare or enveloped (property)', () => {
    const event = fc.constantFrom(hire(), cloudHire(), hire({ occurredAt: '2026-01-05T09:30:00Z' }));
    fc.assert(
      fc.property(withDuplicate(event as fc.Arbitrary<never>), ({ text, path }) => {
        expect(failure(text).errors).toEqual([
          { path: formatPath('$', path), message: DUPLICATE_KEY_MESSAGE },
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses bodies over the webhook's default body limit, counting UTF-8 bytes", () => {
    const padded = (bytes: number) => {
      const text = JSON.stringify(hire());
      return `${text}${' '.repeat(bytes - Buffer.byteLength(text))}`;
    };
    expect(parseQueuedEvent(padded(DEFAULT_MAX_BODY_BYTES)).id).toBe('evt-1');
    expect(failure(padded(DEFAULT_MAX_BODY_BYTES + 1)).message).toBe(
      `queued event is invalid: $: message body is larger than ${DEFAULT_MAX_BODY_BYTES} bytes`,
    );
    const wide = JSON.stringify(hire({ member: { name: '张'.repeat(64), email: 'a@corp.example' } }));
    const nearLimit = `${wide}${' '.repeat(DEFAULT_MAX_BODY_BYTES - wide.length)}`;
    expect(nearLimit.length).toBeLessThanOrEqual(DEFAULT_MAX_BODY_BYTES);
    expect(failure(nearLimit).message).toMatch(/larger than/);
  });

  it('refuses a message whose MessageGroupId is not the employee id (per-employee order needs one group)', () => {
    expect(parseQueuedEvent(JSON.stringify(hire()), { groupId: 'E1' }).employeeId).toBe('E1');
    const bare = failureWith(JSON.stringify(hire()), { groupId: 'hr' });
    expect(bare.errors).toEqual([
      { path: '$.employeeId', message: 'does not match the MessageGroupId (it must be the employee id)' },
    ]);
    expect(failureWith(JSON.stringify(cloudHire()), { groupId: 'E1' }).errors[0]?.path).toBe(
      '$.data.employeeId',
    );
  });
});
