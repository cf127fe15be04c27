import { describe, expect, it } from 'vitest';
import { EventValidationError } from '../../lib/events/errors.js';
import { parseQueuedEvent } from '../../lib/events/parse-queued-event.js';
import { cloudHire, hire, readJson } from './fixtures.js';

const failure = (body: string): EventValidationError => {
  try {
    parseQueuedEvent(body);
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected parseQueuedEvent to throw');
};

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

  it('refuses envelopes, arrays and broken JSON (queue bodies are always normalised)', () => {
    expect(failure(JSON.stringify(cloudHire())).errors).toContainEqual({
      path: '$',
      message: 'unknown fields: "specversion", "source", "time" and 1 more',
    });
    expect(failure(JSON.stringify([hire()])).message).toBe(
      'queued event is invalid: $: expected an event object, got array',
    );
    const broken = failure('{"name":"张伟","phone":"+8613800138000"');
    expect(broken.message).toBe('queued event is not valid JSON');
    expect(JSON.stringify({ ...broken, cause: broken.cause })).not.toContain('138');
  });
});
