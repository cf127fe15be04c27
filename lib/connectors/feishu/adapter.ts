import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FeishuIdType } from '../../config/connectors-config.js';
import type { Clock } from '../../shared/clock.js';
import type { Secret } from '../../shared/secret.js';
import { leaverMember } from '../canonical.js';
import { ConnectorError, rejection } from '../errors.js';
import { BODY_HEADERS, checkBodyFormat, parseJsonObject, requiredHeaders } from '../http-input.js';
import type { Authenticated, ConnectorAdapter } from '../receiver.js';
import { timestampCheck } from '../timestamp.js';
import { EMPLOYMENT_STATE, type Notification, type Observation, type VendorEventType } from '../types.js';
import type { FeishuClient } from './client.js';
import { decryptFeishu, feishuAesKey } from './crypto.js';
import { type FeishuMapping, feishuMember, feishuState } from './mapping.js';
import {
  challengeSchema,
  encryptedBodySchema,
  eventEnvelopeSchema,
  FEISHU_EVENT_TYPES,
  type FeishuUser,
} from './payload.js';
import { FEISHU_HEADERS, verifyFeishuSignature } from './signature.js';

export interface FeishuNotification extends Notification {
  readonly vendorType: VendorEventType<typeof FEISHU_EVENT_TYPES>;
  /** The user's id of the configured type, for the API. */
  readonly vendorId: string;
  /** The user as the event carried it: used only when a leaver can no longer be read. */
  readonly eventUser: FeishuUser;
}

export interface FeishuAdapterOptions {
  readonly appId: string;
  readonly encryptKey: Secret;
  readonly verificationToken: Secret;
  readonly toleranceSeconds: number;
  /** Which user id becomes our employee id (open_id by default). */
  readonly idType: FeishuIdType;
  readonly client: FeishuClient;
  readonly mapping: FeishuMapping;
  readonly clock: Clock;
}

const sameSecret = (sent: string | null | undefined, expected: Secret): boolean => {
  const a = Buffer.from(sent ?? '');
  const b = Buffer.from(expected.reveal());
  return a.length === b.length && timingSafeEqual(a, b);
};

const headerSchema = z.looseObject({
  schema: z.string().nullish(),
  header: z
    .looseObject({ event_type: z.unknown(), token: z.string().nullish(), app_id: z.string().nullish() })
    .nullish(),
});

/**
 * The Feishu/Lark half of the connector. An Encrypt Key is required (without one Feishu signs
 * nothing): every body is encrypted and every event signed. Order: signature over the raw body,
 * decryption, then the verification token and app id inside, then the event itself. The URL
 * verification may come unsigned; its decryption with our key and its token authenticate it.
 */
export const createFeishuAdapter = (options: FeishuAdapterOptions): ConnectorAdapter<FeishuNotification> => {
  const { clock, client, mapping } = options;
  const checkTimestamp = timestampCheck(clock, options.toleranceSeconds);
  const aesKey = feishuAesKey(options.encryptKey.reveal());
  type Result = Authenticated<FeishuNotification>;
  const rejected = (r: ReturnType<typeof rejection>): Result => ({ kind: 'rejected', rejection: r });

  const authenticate = (request: Parameters<ConnectorAdapter['authenticate']>[0]): Result => {
    const headers = requiredHeaders(request, [], [...Object.values(FEISHU_HEADERS), ...BODY_HEADERS]);
    if (!headers.ok) return rejected(headers.rejection);
    const timestamp = headers.value.get(FEISHU_HEADERS.timestamp);
    const nonce = headers.value.get(FEISHU_HEADERS.nonce);
    const signature = headers.value.get(FEISHU_HEADERS.signature);
    const signed = timestamp !== undefined || nonce !== undefined || signature !== undefined;
    if (signed) {
      if (!timestamp || !nonce || !signature) {
        return rejected(
          rejection(
            'missingHeaders',
            'X-Lark-Request-Timestamp, X-Lark-Request-Nonce and X-Lark-Signature go together',
          ),
        );
      }
      if (nonce.length > 256) return rejected(rejection('badSignature', 'X-Lark-Request-Nonce is too long'));
      const stale = checkTimestamp('X-Lark-Request-Timestamp', timestamp);
      if (stale) return rejected(stale);
      if (!verifyFeishuSignature(timestamp, nonce, options.encryptKey.reveal(), request.rawBody, signature)) {
        return rejected(rejection('badSignature', 'X-Lark-Signature does not match the Encrypt Key'));
      }
    }
    const format = checkBodyFormat(headers.value.get, 'content-type must be application/json');
    if (format) return rejected(format);
    const outer = parseJsonObject(request.rawBody);
    if (!outer.ok) return rejected(outer.rejection);
    const wrapped = encryptedBodySchema.safeParse(outer.value.json);
    if (!wrapped.success) {
      return rejected(
        rejection('encryptionRequired', 'body must be {"encrypt": …}: set an Encrypt Key for the app'),
      );
    }
    let plain: string;
    try {
      plain = decryptFeishu(aesKey, wrapped.data.encrypt);
    } catch {
      return rejected(rejection('badEncryption', 'the body does not decrypt with the Encrypt Key'));
    }
    const inner = parseJsonObject(plain);
    if (!inner.ok) return rejected(inner.rejection);

    const challenge = challengeSchema.safeParse(inner.value.json);
    if (challenge.success) {
      if (!sameSecret(challenge.data.token, options.verificationToken)) {
        return rejected(rejection('badToken', 'the verification token does not match'));
      }
      // Echoed in plain JSON, as Feishu expects (within 1 second).
      return { kind: 'answer', response: { status: 200, body: { challenge: challenge.data.challenge } } };
    }
    if (!signed) return rejected(rejection('missingHeaders', 'events must carry X-Lark-Signature'));
    const head = headerSchema.safeParse(inner.value.json);
    if (!head.success || head.data.schema !== '2.0' || !head.data.header) {
      return rejected(rejection('unsupportedEvent', 'only schema 2.0 events are supported'));
    }
    if (!sameSecret(head.data.header.token, options.verificationToken)) {
      return rejected(rejection('badToken', 'the verification token does not match'));
    }
    if (head.data.header.app_id !== options.appId) {
      return rejected(rejection('wrongApp', 'the event is for another app'));
    }
    if (!FEISHU_EVENT_TYPES.includes(head.data.header.event_type)) {
      return rejected(
        rejection(
          'unsupportedEvent',
          `unsupported event type; subscribe only to ${FEISHU_EVENT_TYPES.all.join(', ')}`,
        ),
      );
    }
    const envelope = eventEnvelopeSchema.safeParse(inner.value.json);
    const vendorId = envelope.success ? envelope.data.event.object[options.idType] : undefined;
    if (!envelope.success || !vendorId || !/^[A-Za-z0-9_.@-]{1,64}$/.test(vendorId)) {
      const where = envelope.success
        ? `$.event.object.${options.idType}`
        : [...new Set(envelope.error.issues.map((i) => `$.${i.path.join('.')}`))].join(', ');
      return rejected(rejection('invalidPayload', `event does not match the contact v3 format at ${where}`));
    }
    const { header, event } = envelope.data;
    const type = header.event_type as VendorEventType<typeof FEISHU_EVENT_TYPES>;
    return {
      kind: 'notification',
      notification: {
        eventId: `feishu-${header.event_id}`,
        employeeId: vendorId,
        vendorId,
        vendorType: type,
        statusChanged:
          type === FEISHU_EVENT_TYPES.deleted ||
          (type === FEISHU_EVENT_TYPES.updated && Object.hasOwn(event.old_object ?? {}, 'status')),
        eventUser: event.object,
      },
    };
  };

  const fromEvent = (notification: FeishuNotification) => () =>
    feishuMember(notification.eventUser, notification.employeeId, mapping);

  const observe = async (notification: FeishuNotification, signal?: AbortSignal): Promise<Observation> => {
    const observedAt = clock.now();
    const found = await client.getUser(notification.vendorId, options.idType, signal);
    if (found.kind !== 'found') {
      // Deleted (员工离职) users may drop out of the API: then the event is the last word.
      if (notification.vendorType === FEISHU_EVENT_TYPES.deleted) {
        const member = leaverMember(fromEvent(notification));
        return { state: EMPLOYMENT_STATE.terminated, member, observedAt };
      }
      throw found.kind === 'notFound'
        ? new ConnectorError(
            'feishu',
            'recordNotFound',
            `${notification.vendorType} for user ${notification.vendorId}, but the API has no such user`,
          )
        : new ConnectorError(
            'feishu',
            'accessDenied',
            `user ${notification.vendorId} is outside the app's contact scope (code ${found.code})`,
          );
    }
    const state = feishuState(found.user, mapping);
    const current = () => feishuMember(found.user, notification.employeeId, mapping);
    const member =
      state === EMPLOYMENT_STATE.terminated ? leaverMember(current, fromEvent(notification)) : current();
    return { state, member, observedAt };
  };

  return { name: 'feishu', authenticate, observe };
};
