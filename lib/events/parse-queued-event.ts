import { looksLikeCloudEvent } from './cloud-event.js';
import { DEFAULT_MAX_BODY_BYTES } from './constants.js';
import type { DeliveryError } from './delivery-errors.js';
import { EventValidationError } from './errors.js';
import { parseDeliveryItem } from './parse-delivery.js';
import type { HrEvent } from './schemas.js';
import { DUPLICATE_KEY_MESSAGE, parseStrictJson } from './strict-json.js';

const MAX_LISTED = 3;

export interface QueuedMessageContext {
  /** The message's `MessageGroupId`; when given it must be the event's employee id. */
  readonly groupId?: string;
}

const invalid = (errors: readonly DeliveryError[]): EventValidationError => {
  const listed = errors.slice(0, MAX_LISTED).map((e) => `${e.path}: ${e.message}`);
  const more = errors.length > MAX_LISTED ? ` (+${errors.length - MAX_LISTED} more)` : '';
  return new EventValidationError(`queued event is invalid: ${listed.join('; ')}${more}`, errors);
};

/**
 * Parses one queue message body, by the contract in docs/queue-contract.md: one event, bare or
 * in a CloudEvents 1.0 structured envelope (normalised to the bare form), checked exactly as the
 * webhook checks a delivery item: the same schemas, no duplicate keys, at most
 * DEFAULT_MAX_BODY_BYTES. The webhook writes the bare form; direct producers may write either,
 * so the queue is no way around the webhook's rules. Anything else throws EventValidationError
 * (permanent: a retry cannot fix it, so the worker dead-letters it with this message as reason).
 */
export const parseQueuedEvent = (body: string, context: QueuedMessageContext = {}): HrEvent => {
  if (body.length > DEFAULT_MAX_BODY_BYTES || Buffer.byteLength(body, 'utf8') > DEFAULT_MAX_BODY_BYTES) {
    throw invalid([{ path: '$', message: `message body is larger than ${DEFAULT_MAX_BODY_BYTES} bytes` }]);
  }
  const json = parseStrictJson(body);
  if (!json.ok && json.problem === 'syntax') {
    throw new EventValidationError('queued event is not valid JSON', [
      { path: '$', message: 'not valid JSON' },
    ]);
  }
  if (!json.ok) throw invalid([{ path: json.path, message: DUPLICATE_KEY_MESSAGE }]);
  // One event per message (an array is refused here): a group's order is its messages' order.
  const parsed = parseDeliveryItem(json.value, undefined);
  if (!parsed.ok) throw invalid(parsed.errors);
  const { event } = parsed;
  if (context.groupId !== undefined && context.groupId !== event.employeeId) {
    // Per-employee order holds only if all of an employee's events share one message group.
    const path = looksLikeCloudEvent(json.value as object) ? '$.data.employeeId' : '$.employeeId';
    throw invalid([{ path, message: 'does not match the MessageGroupId (it must be the employee id)' }]);
  }
  return event;
};
