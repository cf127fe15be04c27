import { WEBHOOK_REJECTION } from '../webhook/types.js';
import type { ConnectorName } from './types.js';

// Vendor deliveries have no webhook-id header; every other fault /hr/events refuses is theirs too.
const { badWebhookId: _, ...deliveryRejections } = WEBHOOK_REJECTION;

/**
 * Why a request was refused before anything happened, and the status to answer with. Vendors
 * do not retry a 4xx (BambooHR) or retry it harmlessly (Feishu), so only input that no retry
 * can fix gets one. A fault the HR webhook refuses too gets its code and status.
 */
export const CONNECTOR_REJECTION = {
  ...deliveryRejections,
  notEnabled: { code: 'not_found', status: 404 },
  malformedJson: { code: 'malformed_json', status: 400 },
  duplicateKey: { code: 'duplicate_key', status: 400 },
  encryptionRequired: { code: 'encryption_required', status: 400 },
  badToken: { code: 'bad_token', status: 401 },
  badEncryption: { code: 'bad_encryption', status: 401 },
  wrongApp: { code: 'wrong_app', status: 403 },
  unsupportedEvent: { code: 'unsupported_event', status: 422 },
  invalidPayload: { code: 'invalid_payload', status: 422 },
} as const;
export type ConnectorRejectionKind = keyof typeof CONNECTOR_REJECTION;

export interface ConnectorRejection {
  readonly status: number;
  readonly code: string;
  /** Safe to return and log: never quotes the body, a header value or a secret. */
  readonly message: string;
}

export const rejection = (kind: ConnectorRejectionKind, message: string): ConnectorRejection => ({
  ...CONNECTOR_REJECTION[kind],
  message,
});

/**
 * Failures after a request was authenticated. `permanent` ones are dead-lettered at once with
 * their code as the reason (a retry of the same delivery would fail the same way); the others
 * answer 503 so the vendor retries later.
 */
export const CONNECTOR_FAILURE = {
  /** The vendor says the employee changed, but its API does not have them (or a wrong tenant). */
  recordNotFound: { code: 'record_not_found', permanent: true },
  /** The API credentials may not read this employee (vendor permission or contact scope). */
  accessDenied: { code: 'access_denied', permanent: true },
  /** The record lacks what a Meeting member needs (name, e-mail), or a mapped value is invalid. */
  unmappable: { code: 'unmappable_record', permanent: true },
  /** The vendor refused our request as invalid (e.g. too many fields): a configuration problem. */
  vendorRejected: { code: 'vendor_rejected', permanent: true },
  /** Vendor down, throttling, timeouts, unreadable answers. */
  vendorUnavailable: { code: 'vendor_unavailable', permanent: false },
  /** Our API credentials were refused: fix them while the vendor is still retrying. */
  vendorAuth: { code: 'vendor_auth_failed', permanent: false },
} as const;
export type ConnectorFailureKind = keyof typeof CONNECTOR_FAILURE;
export type ConnectorFailureCode = (typeof CONNECTOR_FAILURE)[ConnectorFailureKind]['code'];

/** Base error of lib/connectors. Messages name ids and status codes, never field values or secrets. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly connector: ConnectorName;
  readonly code: ConnectorFailureCode;
  readonly kind: 'permanent' | 'retryable';
  readonly retryable: boolean;

  constructor(
    connector: ConnectorName,
    failure: ConnectorFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.connector = connector;
    this.code = CONNECTOR_FAILURE[failure].code;
    this.kind = CONNECTOR_FAILURE[failure].permanent ? 'permanent' : 'retryable';
    this.retryable = !CONNECTOR_FAILURE[failure].permanent;
  }

  /** The dead-letter `reason`: `<connector>.<code>: <message>`. */
  get reason(): string {
    return `${this.connector}.${this.code}: ${this.message}`.slice(0, 1000);
  }
}

export const isConnectorError = (error: unknown): error is ConnectorError => error instanceof ConnectorError;
