import type { MemberFields } from '../events/schemas.js';

/** The connectors this system ships; each is off unless configured. */
export const CONNECTORS = { bamboohr: 'bamboohr', feishu: 'feishu' } as const;
export type ConnectorName = (typeof CONNECTORS)[keyof typeof CONNECTORS];

/** One vendor webhook request, transport-neutral (the Lambda adapter fills it from API Gateway). */
export interface ConnectorRequest {
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Exactly the bytes received: signatures cover them. */
  readonly rawBody: string | Uint8Array;
  readonly invocation?: { getRemainingTimeInMillis(): number };
}

/** The HTTP answer to the vendor. */
export interface ConnectorResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The three employee changes a connector subscribes to, under the vendor's event type names.
 * `all` feeds the payload schema and messages; `includes` checks a type before the full schema.
 */
export const vendorEventTypes = <const T extends { created: string; updated: string; deleted: string }>(
  types: T,
) => {
  const all = Object.values(types) as [T[keyof T], ...T[keyof T][]];
  return Object.freeze({
    ...types,
    all,
    includes: (type: unknown): type is T[keyof T] =>
      typeof type === 'string' && (all as readonly string[]).includes(type),
  });
};
export type VendorEventType<E extends { readonly all: readonly string[] }> = E['all'][number];

/** Employment state as the vendor reports it now. */
export const EMPLOYMENT_STATE = { active: 'active', terminated: 'terminated' } as const;
export type EmploymentState = (typeof EMPLOYMENT_STATE)[keyof typeof EMPLOYMENT_STATE];

/**
 * A verified, parsed vendor notification: who changed, not what they look like now (the
 * adapter reads that from the vendor's API). `eventId` is derived from the delivery itself, so
 * a vendor retry of the same delivery gets the same id.
 */
export interface Notification {
  readonly eventId: string;
  /** Our employee key (vendor id, maybe prefixed): the FIFO message group. */
  readonly employeeId: string;
  /** The vendor's event type, for logs and dead letters. */
  readonly vendorType: string;
  /** The vendor says the employment status itself changed (not just a profile field). */
  readonly statusChanged: boolean;
}

/** The employee's current state read from the vendor, mapped to our member fields. */
export interface Observation {
  readonly state: EmploymentState;
  /** Absent only for a leaver whose record the vendor no longer shows. */
  readonly member: MemberFields | undefined;
  /** Epoch ms when the read started: the event's version (see docs/connectors.md "Versions"). */
  readonly observedAt: number;
  readonly effectiveAt?: string;
}

/**
 * What this system last did with the employee, if anything. Until the canonical event carries an
 * explicit status, it tells a hire from a rehire. Port: the wiring reads the lifecycle store.
 */
export type PriorStatus = 'active' | 'offboarded' | undefined;
export interface PriorEmployee {
  readonly status: PriorStatus;
  /** The member fields HR last gave us (what a leaver without a readable record is sent with). */
  readonly profile?: MemberFields;
}
export interface EmployeeDirectory {
  prior(employeeId: string): Promise<PriorEmployee>;
}
