import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { type MessageSink, QueueSendError } from '../queue/types.js';
import { type Log, silentLog } from '../shared/log.js';
import { bodyExceeds } from '../webhook/body-text.js';
import { DELIVERY_DEDUP_SECONDS, toQueueMessage } from '../webhook/receive-delivery.js';
import { placeholderMember, toCanonicalEvent } from './canonical.js';
import { type ConnectorRejection, isConnectorError, rejection } from './errors.js';
import type {
  ConnectorName,
  ConnectorRequest,
  ConnectorResponse,
  EmployeeDirectory,
  Notification,
  Observation,
} from './types.js';

/** What an adapter makes of a request before anything is read or enqueued. */
export type Authenticated<N extends Notification> =
  | { readonly kind: 'notification'; readonly notification: N }
  /** Answered at once, nothing enqueued (e.g. Feishu's URL verification). */
  | { readonly kind: 'answer'; readonly response: ConnectorResponse }
  | { readonly kind: 'rejected'; readonly rejection: ConnectorRejection };

/** The vendor-specific half of a connector; the receiver does the rest the same way for all. */
export interface ConnectorAdapter<N extends Notification = Notification> {
  readonly name: ConnectorName;
  /** Size-checked request → verified notification, an immediate answer, or a 4xx. Never throws. */
  authenticate(request: ConnectorRequest): Authenticated<N>;
  /** Reads the employee's current state from the vendor. Throws ConnectorError. */
  observe(notification: N, signal?: AbortSignal): Promise<Observation>;
}

export interface ConnectorReceiverOptions<N extends Notification> {
  readonly adapter: ConnectorAdapter<N>;
  /** The lifecycle FIFO queue. */
  readonly sink: MessageSink;
  /** The FIFO DLQ, for notifications no retry can turn into an event. Required: nothing is dropped. */
  readonly deadLetters: MessageSink;
  readonly directory: EmployeeDirectory;
  /** Powertools idempotency store keyed on the event id; omit only in unit tests. */
  readonly persistenceStore?: BasePersistenceLayer;
  readonly maxBodyBytes: number;
  readonly log?: Log;
}

type InvocationContext = Parameters<IdempotencyConfig['registerLambdaContext']>[0];
export type ConnectorReceiver = (
  request: ConnectorRequest & { readonly invocation?: InvocationContext },
) => Promise<ConnectorResponse>;

const refuse = ({ status, code, message }: ConnectorRejection): ConnectorResponse => ({
  status,
  body: { error: { code, message } },
});

/**
 * Verify → (once per delivery) read the current record → map → enqueue → 200. A delivery seen
 * before gets the first answer again and enqueues nothing; a notification that can never become
 * an event (record gone, unmappable) is dead-lettered with its reason and answered 200, since a
 * vendor retry would fail the same way; vendor or queue trouble answers 503 so the vendor retries.
 */
export const createConnectorReceiver = <N extends Notification>(
  options: ConnectorReceiverOptions<N>,
): ConnectorReceiver => {
  const { adapter, sink, deadLetters, directory } = options;
  const log = options.log ?? silentLog;

  const deadLetter = async (notification: N, reason: string, code: string) => {
    await deadLetters.send([
      {
        // Ids only: the record is re-read from the vendor when the cause is fixed.
        body: JSON.stringify({
          source: adapter.name,
          eventId: notification.eventId,
          employeeId: notification.employeeId,
          vendorType: notification.vendorType,
          reason,
        }),
        groupId: notification.employeeId,
        deduplicationId: notification.eventId,
        attributes: { reason, source: adapter.name, eventId: notification.eventId },
      },
    ]);
    log.warn('connector notification dead-lettered', {
      connector: adapter.name,
      eventId: notification.eventId,
      employeeId: notification.employeeId,
      reason,
    });
    return { accepted: [], deadLettered: code };
  };

  const process = async (notification: N, signal?: AbortSignal): Promise<Record<string, unknown>> => {
    try {
      const observation = await adapter.observe(notification, signal);
      const prior = await directory.prior(notification.employeeId);
      const member =
        observation.member ?? prior.profile ?? placeholderMember(adapter.name, notification.employeeId);
      const event = toCanonicalEvent(adapter.name, notification, { ...observation, member }, prior.status);
      await sink.send([toQueueMessage(event)]);
      log.info('connector event enqueued', {
        connector: adapter.name,
        eventId: event.id,
        employeeId: event.employeeId,
        type: event.type,
        vendorType: notification.vendorType,
      });
      return { accepted: [event.id], type: event.type };
    } catch (error) {
      if (isConnectorError(error) && error.kind === 'permanent') {
        return deadLetter(notification, error.reason, error.code);
      }
      throw error;
    }
  };
  const idempotency = new IdempotencyConfig({
    eventKeyJmesPath: 'eventId',
    expiresAfterSeconds: DELIVERY_DEDUP_SECONDS,
  });
  const processOnce = options.persistenceStore
    ? makeIdempotent(process, {
        persistenceStore: options.persistenceStore,
        config: idempotency,
        dataIndexArgument: 0,
      })
    : process;

  return async (request) => {
    if (bodyExceeds(request.rawBody, options.maxBodyBytes)) {
      return refuse(rejection('bodyTooLarge', `body is larger than ${options.maxBodyBytes} bytes`));
    }
    const authenticated = adapter.authenticate(request);
    if (authenticated.kind === 'answer') return authenticated.response;
    if (authenticated.kind === 'rejected') {
      log.warn('connector request rejected', { connector: adapter.name, code: authenticated.rejection.code });
      return refuse(authenticated.rejection);
    }
    const { notification } = authenticated;
    if (request.invocation) idempotency.registerLambdaContext(request.invocation);
    const remaining = request.invocation?.getRemainingTimeInMillis();
    const signal = remaining === undefined ? undefined : AbortSignal.timeout(Math.max(remaining - 1_000, 1));
    try {
      const result = await processOnce(notification, signal);
      return { status: 200, body: { connector: adapter.name, eventId: notification.eventId, ...result } };
    } catch (error) {
      if (error instanceof IdempotencyAlreadyInProgressError) {
        return refuse({
          status: 409,
          code: 'delivery_in_progress',
          message: 'this delivery is being processed; retry later',
        });
      }
      if (isConnectorError(error) || error instanceof QueueSendError) {
        const code = isConnectorError(error) ? error.code : 'queue_unavailable';
        log.error('connector delivery failed; the vendor will retry', {
          connector: adapter.name,
          eventId: notification.eventId,
          code,
          error,
        });
        return refuse({ status: 503, code, message: 'temporary failure; retry later' });
      }
      throw error;
    }
  };
};
