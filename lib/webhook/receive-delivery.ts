import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { parseDelivery } from '../events/parse-delivery.js';
import type { HrEvent } from '../events/schemas.js';
import { DUPLICATE_KEY_MESSAGE, parseStrictJson } from '../events/strict-json.js';
import type { MessageSink } from '../queue/types.js';
import { type Log, silentLog } from '../shared/log.js';
import type { createWebhookVerifier } from './verify.js';

/** HR senders retry for about three days; duplicates must be recognised for longer. */
export const DELIVERY_DEDUP_SECONDS = 7 * 24 * 3600;

export interface DeliveryRequest {
  readonly headers: Record<string, string | undefined>;
  /** Exactly the bytes received (a string only when API Gateway passed text). */
  readonly rawBody: string | Uint8Array;
  /** The invocation's context, so an in-progress claim expires with the function's remaining time. */
  readonly invocation?: InvocationContext;
}

type InvocationContext = Parameters<IdempotencyConfig['registerLambdaContext']>[0];

/** A transport-neutral HTTP answer; the Lambda adapter maps it to API Gateway's shape. */
export interface DeliveryResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface DeliveryReceiverOptions {
  readonly verifier: ReturnType<typeof createWebhookVerifier>;
  readonly sink: MessageSink;
  /** Powertools idempotency store keyed on webhook-id; omit only in unit tests of parsing. */
  readonly persistenceStore?: BasePersistenceLayer;
  readonly maxEvents?: number;
  readonly log?: Log;
}

const reject = (status: number, code: string, message: string, details?: unknown): DeliveryResponse => ({
  status,
  body: { error: { code, message, ...(details === undefined ? {} : { details }) } },
});

export const toQueueMessage = (event: HrEvent) => ({
  body: JSON.stringify(event),
  groupId: event.employeeId,
  deduplicationId: event.id,
});

/**
 * Verify → parse → validate → enqueue → 202. Never calls the Meeting API, so it answers well
 * inside a sender's timeout. Bad input always gets a 4xx; only our own failures (queue down)
 * get a 5xx, which the sender retries.
 */
export const createDeliveryReceiver = (options: DeliveryReceiverOptions) => {
  const log = options.log ?? silentLog;
  const enqueue = async (delivery: { webhookId: string; bodyHash: string; events: HrEvent[] }) => {
    await options.sink.send(delivery.events.map(toQueueMessage));
    return { accepted: delivery.events.map((e) => e.id) };
  };
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'webhookId',
    payloadValidationJmesPath: 'bodyHash',
    expiresAfterSeconds: DELIVERY_DEDUP_SECONDS,
  });
  const enqueueOnce = options.persistenceStore
    ? makeIdempotent(enqueue, { persistenceStore: options.persistenceStore, config: idempotency })
    : enqueue;

  return async (request: DeliveryRequest): Promise<DeliveryResponse> => {
    const verified = options.verifier.verify(request.headers, request.rawBody);
    if (!verified.ok) {
      log.warn('webhook rejected', { code: verified.error.code, status: verified.error.status });
      return reject(verified.error.status, verified.error.code, verified.error.message);
    }
    const json = parseStrictJson(verified.body);
    if (!json.ok && json.problem === 'syntax') return reject(400, 'malformed_json', 'body is not valid JSON');
    if (!json.ok) {
      // A signed body must have one meaning: readers disagree on which duplicate wins.
      log.warn('webhook rejected', { code: 'duplicate_key', status: 400, webhookId: verified.webhookId });
      const { path, index } = json;
      return reject(400, 'duplicate_key', `body has a duplicate key at ${path}`, [
        { ...(index === undefined ? {} : { index }), path, message: DUPLICATE_KEY_MESSAGE },
      ]);
    }
    const parsed = parseDelivery(json.value, { maxEvents: options.maxEvents ?? 100 });
    if (!parsed.ok) {
      log.warn('webhook payload invalid', { webhookId: verified.webhookId, errors: parsed.errors.length });
      return reject(422, 'invalid_events', 'one or more events do not match the schema', parsed.errors);
    }
    if (request.invocation) idempotency.registerLambdaContext(request.invocation);
    const bodyHash = createHash('sha256').update(request.rawBody).digest('hex');
    try {
      const result = await enqueueOnce({ webhookId: verified.webhookId, bodyHash, events: parsed.events });
      log.info('webhook accepted', { webhookId: verified.webhookId, eventIds: result.accepted });
      return { status: 202, body: { webhookId: verified.webhookId, ...result } };
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        return reject(
          409,
          'webhook_id_reused',
          'this webhook-id was already delivered with a different body',
        );
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        return reject(409, 'delivery_in_progress', 'this webhook-id is being processed; retry later');
      }
      throw error;
    }
  };
};
