import type { Clock } from '../../shared/clock.js';
import type { Secret } from '../../shared/secret.js';
import { leaverMember } from '../canonical.js';
import { ConnectorError, rejection } from '../errors.js';
import { BODY_HEADERS, checkBodyFormat, parseJsonObject, requiredHeaders, sha256Hex } from '../http-input.js';
import type { Authenticated, ConnectorAdapter } from '../receiver.js';
import { timestampCheck } from '../timestamp.js';
import { EMPLOYMENT_STATE, type Notification, type Observation, type VendorEventType } from '../types.js';
import type { BambooHrClient } from './client.js';
import {
  type BambooHrMapping,
  bambooHrEffectiveAt,
  bambooHrMember,
  bambooHrState,
  isStatusField,
  requestedFields,
} from './mapping.js';
import { BAMBOOHR_EVENT_TYPES, bambooHrWebhookSchema } from './payload.js';
import { BAMBOOHR_HEADERS, verifyBambooHrSignature } from './signature.js';

export interface BambooHrNotification extends Notification {
  readonly vendorType: VendorEventType<typeof BAMBOOHR_EVENT_TYPES>;
  /** BambooHR's employee id (unprefixed), for the API. */
  readonly vendorId: string;
}

export interface BambooHrAdapterOptions {
  /** The webhook's private key(s): several during a rotation. */
  readonly webhookKeys: readonly Secret[];
  /** Accepted distance of X-BambooHR-Timestamp from now, both ways. */
  readonly toleranceSeconds: number;
  /** Put before BambooHR's numeric ids, so they are valid Meeting accounts and never collide. */
  readonly employeeIdPrefix: string;
  readonly client: BambooHrClient;
  readonly mapping: BambooHrMapping;
  readonly clock: Clock;
}

/**
 * The BambooHR half of the connector: verifies the signature over the raw body, reads the
 * event-based payload (ids and changed field names only), then reads the employee's current
 * record, so delivery order cannot matter.
 */
export const createBambooHrAdapter = (
  options: BambooHrAdapterOptions,
): ConnectorAdapter<BambooHrNotification> => {
  const { clock, client, mapping } = options;
  const checkTimestamp = timestampCheck(clock, options.toleranceSeconds);
  const fields = requestedFields(mapping);

  const authenticate = (
    request: Parameters<ConnectorAdapter['authenticate']>[0],
  ): Authenticated<BambooHrNotification> => {
    const rejected = (r: ReturnType<typeof rejection>) => ({ kind: 'rejected', rejection: r }) as const;
    const headers = requiredHeaders(
      request,
      [BAMBOOHR_HEADERS.timestamp, BAMBOOHR_HEADERS.signature],
      BODY_HEADERS,
    );
    if (!headers.ok) return rejected(headers.rejection);
    const timestamp = headers.value.values[BAMBOOHR_HEADERS.timestamp];
    const stale = checkTimestamp('X-BambooHR-Timestamp', timestamp);
    if (stale) return rejected(stale);
    const signature = headers.value.values[BAMBOOHR_HEADERS.signature];
    if (!verifyBambooHrSignature(options.webhookKeys, request.rawBody, timestamp, signature)) {
      return rejected(
        rejection('badSignature', 'X-BambooHR-Signature does not match the webhook private key'),
      );
    }
    // Only an authenticated sender learns what we accept.
    const format = checkBodyFormat(
      headers.value.get,
      'content-type must be application/json (webhook format "JSON")',
    );
    if (format) return rejected(format);
    const body = parseJsonObject(request.rawBody);
    if (!body.ok) return rejected(body.rejection);
    if (!BAMBOOHR_EVENT_TYPES.includes(body.value.json.type)) {
      return rejected(
        rejection(
          'unsupportedEvent',
          `unsupported event; expected one of ${BAMBOOHR_EVENT_TYPES.all.join(', ')} (event-based webhooks only)`,
        ),
      );
    }
    const parsed = bambooHrWebhookSchema.safeParse(body.value.json);
    if (!parsed.success) {
      const paths = [...new Set(parsed.error.issues.map((i) => `$.${i.path.join('.')}`))].join(', ');
      return rejected(
        rejection('invalidPayload', `payload does not match the event-based format at ${paths}`),
      );
    }
    const { type, data } = parsed.data;
    const changed = data.changedFields ?? [];
    return {
      kind: 'notification',
      notification: {
        // The body has no event id; a retry resends the same body, so its hash names the delivery.
        eventId: `bamboohr-${data.employeeId}-${sha256Hex(body.value.text).slice(0, 40)}`,
        employeeId: `${options.employeeIdPrefix}${data.employeeId}`,
        vendorId: data.employeeId,
        vendorType: type,
        statusChanged:
          type !== BAMBOOHR_EVENT_TYPES.created &&
          (type === BAMBOOHR_EVENT_TYPES.deleted || changed.some(isStatusField)),
      },
    };
  };

  const observe = async (notification: BambooHrNotification, signal?: AbortSignal): Promise<Observation> => {
    const observedAt = clock.now();
    if (notification.vendorType === BAMBOOHR_EVENT_TYPES.deleted) {
      // Deleted records are gone for good (ids are never reused), so there is nothing to read.
      return {
        state: EMPLOYMENT_STATE.terminated,
        member: leaverMember(),
        observedAt,
      };
    }
    const found = await client.getEmployee(notification.vendorId, fields, signal);
    if (found.kind === 'notFound') {
      throw new ConnectorError(
        'bamboohr',
        'recordNotFound',
        `${notification.vendorType} for employee ${notification.vendorId}, but the API has no such employee (404)`,
      );
    }
    if (found.kind === 'forbidden') {
      throw new ConnectorError(
        'bamboohr',
        'accessDenied',
        `the API key may not read employee ${notification.vendorId} (403)`,
      );
    }
    const state = bambooHrState(found.record, mapping);
    const effectiveAt =
      state === EMPLOYMENT_STATE.active ? bambooHrEffectiveAt(found.record, observedAt) : undefined;
    const current = () => bambooHrMember(found.record, notification.employeeId, mapping);
    return {
      state,
      member: state === EMPLOYMENT_STATE.terminated ? leaverMember(current) : current(),
      observedAt,
      ...(effectiveAt && { effectiveAt }),
    };
  };

  return { name: 'bamboohr', authenticate, observe };
};
