import {
  EVENT_TYPES,
  type EventType,
  type HrEvent,
  hrEventSchema,
  type MemberFields,
  memberFieldsSchema,
} from '../events/schemas.js';
import { ConnectorError } from './errors.js';
import { clip } from './field-map.js';
import {
  type ConnectorName,
  EMPLOYMENT_STATE,
  type EmploymentState,
  type Notification,
  type Observation,
  type PriorStatus,
} from './types.js';

/**
 * The event type for the state the vendor reports now. The worker's hire and rehire both make
 * the member exist, enabled, with the current fields; an update never changes status. So an
 * active employee gets an update only when we already hold them as active and the vendor did not
 * touch their status; a status change back to active is a rehire even if our record still says
 * active, because its termination may be queued but not applied yet.
 */
export const decideEventType = (
  state: EmploymentState,
  prior: PriorStatus,
  statusChanged: boolean,
): EventType => {
  if (state === EMPLOYMENT_STATE.terminated) return EVENT_TYPES.terminated;
  if (prior === undefined) return EVENT_TYPES.hired;
  if (prior === 'offboarded' || statusChanged) return EVENT_TYPES.rehired;
  return EVENT_TYPES.updated;
};

export interface MemberParts {
  readonly name?: string | undefined;
  readonly englishName?: string | undefined;
  readonly email?: string | undefined;
  readonly account?: string | undefined;
  readonly deptCode?: string | undefined;
  readonly title?: string | undefined;
}

/**
 * Member fields from mapped vendor values, checked against the contract. Free text is clipped
 * to its limit; identifiers (account, department, e-mail) are not, so a bad one is refused
 * (dead-lettered as unmappable) rather than sent changed.
 */
export const buildMember = (
  connector: ConnectorName,
  employeeId: string,
  parts: MemberParts,
): MemberFields => {
  const candidate = {
    name: clip(parts.name, 64),
    ...(parts.englishName && { englishName: clip(parts.englishName, 64) }),
    ...(parts.email && { email: parts.email }),
    ...(parts.account && { account: parts.account }),
    ...(parts.deptCode && { deptCode: parts.deptCode }),
    ...(parts.title && { title: clip(parts.title, 32) }),
  };
  const parsed = memberFieldsSchema.safeParse(candidate);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || 'member'}: ${i.message}`);
  throw new ConnectorError(
    connector,
    'unmappable',
    `employee ${employeeId} cannot become a Meeting member (${[...new Set(problems)].join('; ')})`,
  );
};

/**
 * The canonical event for one observation, validated as strictly as a webhook delivery.
 * The version is the time the state was read (see docs/connectors.md "Versions").
 */
export const toCanonicalEvent = (
  connector: ConnectorName,
  notification: Notification,
  observation: Observation & { readonly member: MemberFields },
  prior: PriorStatus,
): HrEvent => {
  const event = {
    type: decideEventType(observation.state, prior, notification.statusChanged),
    // The state itself: the worker converges to the newest state whatever the type says.
    status: observation.state,
    id: notification.eventId,
    employeeId: notification.employeeId,
    version: observation.observedAt,
    occurredAt: new Date(observation.observedAt).toISOString(),
    ...(observation.effectiveAt && { effectiveAt: observation.effectiveAt }),
    member: observation.member,
  };
  const parsed = hrEventSchema.safeParse(event);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((i) => i.path.join('.') || 'event');
    throw new ConnectorError(
      connector,
      'unmappable',
      `employee ${notification.employeeId}: the event does not match the contract (${[...new Set(paths)].join(', ')})`,
    );
  }
  return parsed.data;
};

/**
 * Member fields for a termination from what the vendor still shows: the first mapping that works,
 * or undefined when none does (a deleted record). The receiver then resends the profile we last
 * applied, so a leaver's fields in Meeting are never overwritten with made-up ones.
 */
export const leaverMember = (...attempts: readonly (() => MemberFields)[]): MemberFields | undefined => {
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (error) {
      if (!(error instanceof ConnectorError)) throw error;
    }
  }
  return undefined;
};

/**
 * The last resort for a termination of someone we hold no profile for: a placeholder
 * (`<id>@removed.invalid`, a reserved domain) that only satisfies the contract; such an employee
 * has no member of ours to overwrite.
 */
export const placeholderMember = (connector: ConnectorName, employeeId: string): MemberFields =>
  buildMember(connector, employeeId, {
    name: employeeId,
    email: `${employeeId.toLowerCase()}@removed.invalid`,
  });
