import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWebhookFunctionConfig } from '../../lib/config/index.js';
import { DEFAULT_MAX_BODY_BYTES } from '../../lib/events/constants.js';
import { MeetingError } from '../../lib/http/errors.js';
import { failureReason } from '../../lib/lifecycle/failures.js';
import {
  DEAD_LETTER_ATTRIBUTE_BYTES,
  MAX_MESSAGE_BODY_BYTES,
  MAX_QUEUE_MESSAGE_BYTES,
} from '../../lib/queue/types.js';
import { parseWebhookSecrets } from '../../lib/webhook/secrets.js';

/** SQS counts a message attribute as its name, its data type and its value, in UTF-8 bytes. */
const attributeBytes = (attributes: Record<string, string>) =>
  Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum + Buffer.byteLength(name) + Buffer.byteLength('String') + Buffer.byteLength(value),
    0,
  );

describe('WEBHOOK_MAX_BODY_BYTES: no larger than one queue message can carry', () => {
  const load = (value?: string) =>
    parseWebhookFunctionConfig(
      {
        TABLE_NAME: 'meeting-lifecycle-dev',
        QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/events.fifo',
        WEBHOOK_SECRETS_PARAM: '/meeting-lifecycle/dev/webhook-secrets',
        ...(value !== undefined && { WEBHOOK_MAX_BODY_BYTES: value }),
      },
      parseWebhookSecrets,
    ).webhook;

  it("is SQS's 256 KiB less the room a dead letter's attributes need, by default and at most", () => {
    expect(MAX_QUEUE_MESSAGE_BYTES).toBe(262_144);
    expect(MAX_MESSAGE_BODY_BYTES + DEAD_LETTER_ATTRIBUTE_BYTES).toBe(MAX_QUEUE_MESSAGE_BYTES);
    expect(load().maxBodyBytes).toBe(MAX_MESSAGE_BODY_BYTES);
    expect(load(String(MAX_MESSAGE_BODY_BYTES)).maxBodyBytes).toBe(MAX_MESSAGE_BODY_BYTES);
    expect(() => load(String(MAX_MESSAGE_BODY_BYTES + 1))).toThrow(
      /WEBHOOK_MAX_BODY_BYTES: at most 258048 \(what one queue message carries\)/,
    );
    // The worker refuses larger queued bodies by the same limit.
    expect(DEFAULT_MAX_BODY_BYTES).toBe(MAX_MESSAGE_BODY_BYTES);
  });

  it('leaves room for the largest attributes the worker gives a dead letter', () => {
    // The longest reason: a Meeting error whose message is long and in a 3-byte script.
    const error = new MeetingError('x', {
      kind: 'permanent',
      api: 'createMember',
      errorCode: 'USG.000000000',
      errorMsg: '参数错误'.repeat(2_000),
      status: 400,
    });
    const reason = failureReason(error);
    const worst = {
      reason,
      eventId: '~'.repeat(128),
      sourceMessageId: randomUUID(),
    };
    expect(Buffer.byteLength(reason)).toBeGreaterThan(2_900);
    expect(attributeBytes(worst)).toBeLessThanOrEqual(DEAD_LETTER_ATTRIBUTE_BYTES);
  });
});
