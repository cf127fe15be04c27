import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type HrEvent } from '../../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

/**
 * Direct producers (docs/queue-contract.md): an integration platform writes straight to the FIFO
 * queue, bypassing the webhook. Each form of the contract is applied end to end; whatever breaks
 * it is dead-lettered at once with a reason, never applied.
 */

let stack: LocalStack;
const events = createHrEventFactory({ idPrefix: 'direct' });

beforeAll(async () => {
  stack = await startLocalStack({ env: { DISABLE_LINGER_MS: '0' } });
});
afterAll(() => stack?.stop());

/** What the contract asks for: group = employee id, deduplication id = event id. */
const write = (body: string, groupId: string, deduplicationId: string) =>
  stack.queue.send([{ body, groupId, deduplicationId }]);
const asCloudEvent = ({ type, id, occurredAt, ...data }: HrEvent) => ({
  specversion: '1.0',
  id,
  source: '/integration-platform',
  type,
  ...(occurredAt && { time: occurredAt }),
  datacontenttype: 'application/json',
  data,
});
const member = (employeeId: string) => stack.simulator!.members().find((m) => m.thirdAccount === employeeId);
const deadLetter = (deduplicationId: string) =>
  stack.dlq.messages().find((m) => m.deduplicationId === deduplicationId);

describe('direct queue producers', () => {
  it('applies a bare event and a CloudEvents envelope written straight to the queue', async () => {
    const bare = events(EVENT_TYPES.hired, 'Q1', sampleMember('Q1', 1));
    const enveloped = events(EVENT_TYPES.hired, 'Q2', sampleMember('Q2', 2));
    await write(JSON.stringify(bare), 'Q1', bare.id);
    await write(JSON.stringify(asCloudEvent(enveloped)), 'Q2', enveloped.id);
    await stack.drain();
    expect(member('Q1')).toMatchObject({ name: 'Employee 1', status: 0 });
    expect(member('Q2')).toMatchObject({ name: 'Employee 2', status: 0 });

    // Later events of the same employees, each in the other form.
    const update = events(EVENT_TYPES.updated, 'Q1', sampleMember('Q1', 1, { title: 'Lead' }));
    const leave = events(EVENT_TYPES.terminated, 'Q2', sampleMember('Q2', 2));
    await write(JSON.stringify(asCloudEvent(update)), 'Q1', update.id);
    await write(JSON.stringify(leave), 'Q2', leave.id);
    await stack.drain();
    expect(member('Q1')?.title).toBe('Lead');
    expect(member('Q2')?.status).toBe(1);
    expect(stack.dlq.stats().sent).toBe(0);
  });

  it('dead-letters what breaks the contract at once, with a reason, and applies none of it', async () => {
    const hire = events(EVENT_TYPES.hired, 'Q3', sampleMember('Q3', 3));
    // JSON.parse alone would read this as admin.granted (the last "type").
    const duplicate = JSON.stringify(hire).replace(/}$/, ',"type":"admin.granted"}');
    const duplicateInEnvelope = JSON.stringify(asCloudEvent({ ...hire, id: 'direct-dup-ce' })).replace(
      '"member":{',
      '"member":{"email":"someone.else@corp.example",',
    );
    const extension = { ...asCloudEvent({ ...hire, id: 'direct-ext' }), partnerid: 'x' };
    const wrongGroup = { ...hire, id: 'direct-wrong-group' };
    await write(duplicate, 'Q3', hire.id);
    await write(duplicateInEnvelope, 'Q3', 'direct-dup-ce');
    await write(JSON.stringify(extension), 'Q3', 'direct-ext');
    await write(JSON.stringify(wrongGroup), 'hr-batch', 'direct-wrong-group');
    await stack.drain();

    const reasons = Object.fromEntries(
      [hire.id, 'direct-dup-ce', 'direct-ext', 'direct-wrong-group'].map((id) => [
        id,
        deadLetter(id)?.attributes.reason,
      ]),
    );
    expect(reasons).toEqual({
      [hire.id]: expect.stringMatching(
        /^EventValidationError: queued event is invalid: \$\.type: duplicate key/,
      ),
      'direct-dup-ce': expect.stringMatching(
        /^EventValidationError: .*\$\.data\.member\.email: duplicate key/,
      ),
      'direct-ext': 'EventValidationError: queued event is invalid: $: unknown field: "partnerid"',
      'direct-wrong-group': expect.stringMatching(/\$\.employeeId: does not match the MessageGroupId/),
    });
    // Dead-lettered by the worker as a permanent failure, not redriven by SQS after five receives.
    for (const id of Object.keys(reasons)) {
      expect(deadLetter(id)?.attributes).toMatchObject({ sourceMessageId: expect.any(String) });
      expect(deadLetter(id)?.attributes).not.toHaveProperty('sourceQueue');
    }
    expect(member('Q3')).toBeUndefined();
  });

  it('dead-letters text that is not well-formed Unicode or carries control characters, naming the field', async () => {
    const lone = events(EVENT_TYPES.hired, 'Q4', { ...sampleMember('Q4', 4), name: '\ud800x' });
    const loneTitle = events(EVENT_TYPES.hired, 'Q5', { ...sampleMember('Q5', 5), title: '\ud83d' });
    const control = events(EVENT_TYPES.hired, 'Q6', { ...sampleMember('Q6', 6), name: 'a\u0000\u001b[31mb' });
    await write(JSON.stringify(lone), 'Q4', lone.id);
    await write(JSON.stringify(asCloudEvent(loneTitle)), 'Q5', loneTitle.id);
    await write(JSON.stringify(control), 'Q6', control.id);
    await stack.drain();
    expect(deadLetter(lone.id)?.attributes.reason).toBe(
      'EventValidationError: queued event is invalid: $.member.name: must be well-formed Unicode (no unpaired surrogate)',
    );
    expect(deadLetter(loneTitle.id)?.attributes.reason).toBe(
      'EventValidationError: queued event is invalid: $.data.member.title: must be well-formed Unicode (no unpaired surrogate)',
    );
    expect(deadLetter(control.id)?.attributes.reason).toBe(
      'EventValidationError: queued event is invalid: $.member.name: must not contain control characters (U+0000-U+001F, U+007F-U+009F)',
    );
    for (const id of [lone.id, loneTitle.id, control.id]) {
      expect(deadLetter(id)?.attributes).not.toHaveProperty('sourceQueue');
    }
    expect([member('Q4'), member('Q5'), member('Q6')]).toEqual([undefined, undefined, undefined]);
  });
});
