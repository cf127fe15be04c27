import type { HrEvent } from '../events/schemas.js';
import { EVENT_TYPES } from '../events/schemas.js';
import { isMeetingError } from '../http/errors.js';
import { MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { systemClock } from '../shared/clock.js';
import { silentLog } from '../shared/log.js';
import type { EmployeeRecord, EmployeeStatus } from '../store/types.js';
import { EMPLOYEE_STATUS } from '../store/types.js';
import {
  addMemberInputFor,
  memberAccountFor,
  memberProfileOf,
  updateMemberInputFor,
} from './member-mapping.js';
import { cancelPendingDisable, checkBreaker, requestDisable, stageAction } from './offboarding.js';
import type { ApplyOptions, ApplyOutcome, ApplyResult, LifecycleDeps } from './types.js';
import { APPLY_OUTCOME } from './types.js';

/** What one event handler decided: the outcome and the record fields it changed. */
interface Step {
  readonly outcome: ApplyOutcome;
  readonly status: EmployeeStatus;
  readonly memberId?: string;
  readonly isAdmin?: boolean;
  readonly statusChanged?: boolean;
  readonly reason?: string;
  /** Staged by the circuit breaker: nothing applied, the record stays as it was. */
  readonly staged?: boolean;
  /** The event's member fields were written to Meeting. */
  readonly profileApplied?: boolean;
}

interface StepContext {
  readonly event: HrEvent;
  readonly record: EmployeeRecord | undefined;
  readonly deps: LifecycleDeps;
  readonly account: string;
  readonly call: CallOptions;
  /** False when a due scheduled event is older than the last applied profile. */
  readonly applyProfile: boolean;
  readonly options: ApplyOptions;
  readonly now: number;
}

const STATUS_EVENTS: ReadonlySet<string> = new Set([
  EVENT_TYPES.hired,
  EVENT_TYPES.rehired,
  EVENT_TYPES.terminated,
]);

const ifNotFound = async <T>(call: () => Promise<T>, fallback: () => Promise<T>): Promise<T> => {
  try {
    return await call();
  } catch (error) {
    if (isMeetingError(error, 'notFound')) return fallback();
    throw error;
  }
};

/** Creates the member, or adopts ours (same HR id) if it exists; enables it if it was disabled. */
const createOrAdopt = async ({ event, deps, account, call }: StepContext): Promise<Step> => {
  const input = addMemberInputFor(event, deps.accountType, deps.settings.sendNotify);
  const { member, outcome } = await deps.meeting.ensureMember(input, call);
  if (member.status === MEMBER_STATUS.disabled) {
    await deps.meeting.setMembersStatus([account], MEMBER_STATUS.normal, call);
    return {
      outcome: APPLY_OUTCOME.enabled,
      status: EMPLOYEE_STATUS.active,
      memberId: member.id,
      statusChanged: true,
    };
  }
  return { outcome, status: EMPLOYEE_STATUS.active, memberId: member.id, statusChanged: true };
};

/** Hire and rehire: the member must exist, be enabled, and carry the current fields. */
const activate = async (ctx: StepContext): Promise<Step> => {
  const { record, deps, account, call, event } = ctx;
  if (!record || record.status === EMPLOYEE_STATUS.deleted) return createOrAdopt(ctx);
  const wasDisabled = record.status === EMPLOYEE_STATUS.disabled;
  if (wasDisabled) await cancelPendingDisable(deps, event.employeeId);
  if (!ctx.applyProfile) {
    if (!wasDisabled) return { outcome: APPLY_OUTCOME.noop, status: record.status, statusChanged: true };
    await deps.meeting.setMembersStatus([account], MEMBER_STATUS.normal, call);
    return { outcome: APPLY_OUTCOME.enabled, status: EMPLOYEE_STATUS.active, statusChanged: true };
  }
  // One call both re-enables and refreshes the profile (ModUserDTO carries status).
  return ifNotFound<Step>(
    async () => {
      const member = await deps.meeting.updateMember(
        account,
        updateMemberInputFor(event, MEMBER_STATUS.normal),
        call,
      );
      const outcome = wasDisabled ? APPLY_OUTCOME.enabled : APPLY_OUTCOME.updated;
      return {
        outcome,
        status: EMPLOYEE_STATUS.active,
        memberId: member.id,
        statusChanged: true,
        profileApplied: true,
      };
    },
    () => createOrAdopt(ctx),
  );
};

/** Profile change: never changes status, never resurrects a leaver. */
const update = async (ctx: StepContext): Promise<Step> => {
  const { record, deps, account, call, event } = ctx;
  if (!record) return createOrAdopt(ctx);
  if (record.status === EMPLOYEE_STATUS.deleted || !ctx.applyProfile) {
    return {
      outcome: APPLY_OUTCOME.noop,
      status: record.status,
      reason: 'member deleted or update superseded',
    };
  }
  const keep = record.status === EMPLOYEE_STATUS.disabled ? MEMBER_STATUS.disabled : MEMBER_STATUS.normal;
  return ifNotFound<Step>(
    async () => {
      const member = await deps.meeting.updateMember(account, updateMemberInputFor(event, keep), call);
      return {
        outcome: APPLY_OUTCOME.updated,
        status: record.status,
        memberId: member.id,
        profileApplied: true,
      };
    },
    async () =>
      record.status === EMPLOYEE_STATUS.active
        ? createOrAdopt(ctx)
        : { outcome: APPLY_OUTCOME.noop, status: EMPLOYEE_STATUS.deleted, reason: 'member no longer exists' },
  );
};

/** Termination: disable at once (deletion is cleanup's job, after retention); drop admin rights. */
const terminate = async (ctx: StepContext): Promise<Step> => {
  const { record, deps, account, call, event } = ctx;
  if (record?.status === EMPLOYEE_STATUS.deleted || record?.status === EMPLOYEE_STATUS.disabled) {
    return {
      outcome: APPLY_OUTCOME.noop,
      status: record.status,
      statusChanged: true,
      reason: 'already offboarded',
    };
  }
  if (!record) {
    // Unknown to us: disable only a member that is provably ours (same HR id).
    const existing = await deps.meeting.findMember(account, call);
    if (!existing || existing.thirdAccount !== event.employeeId) {
      return {
        outcome: APPLY_OUTCOME.noop,
        status: EMPLOYEE_STATUS.deleted,
        statusChanged: true,
        reason: 'no member',
      };
    }
  }
  if (deps.offboarding && !ctx.options.approved) {
    const stageId = await checkBreaker(deps, 'disable', 1);
    if (stageId) {
      await stageAction(deps, {
        stageId,
        kind: 'disable',
        employeeId: event.employeeId,
        event: JSON.stringify(event),
      });
      return {
        outcome: APPLY_OUTCOME.staged,
        status: record?.status ?? EMPLOYEE_STATUS.active,
        staged: true,
      };
    }
  }
  if (record?.isAdmin) await revokeAdmin(ctx);
  if (deps.offboarding) {
    // Coalesced: the worker's flush sends one batch status call for up to 100 leavers.
    await requestDisable(deps, {
      employeeId: event.employeeId,
      account,
      eventId: event.id,
      requestedAt: ctx.now,
    });
    return {
      outcome: APPLY_OUTCOME.disabled,
      status: EMPLOYEE_STATUS.disabled,
      isAdmin: false,
      statusChanged: true,
    };
  }
  return ifNotFound<Step>(
    async () => {
      await deps.meeting.setMembersStatus([account], MEMBER_STATUS.disabled, call);
      return {
        outcome: APPLY_OUTCOME.disabled,
        status: EMPLOYEE_STATUS.disabled,
        isAdmin: false,
        statusChanged: true,
      };
    },
    async () => ({
      outcome: APPLY_OUTCOME.noop,
      status: EMPLOYEE_STATUS.deleted,
      statusChanged: true,
      reason: 'no member',
    }),
  );
};

const revokeAdmin = async ({ deps, account, call }: StepContext): Promise<void> =>
  ifNotFound(
    () => deps.meeting.deleteAdmins([account], call),
    async () => undefined,
  );

const grantAdmin = async (ctx: StepContext): Promise<Step> => {
  const { record, deps, account, call } = ctx;
  if (record && record.status !== EMPLOYEE_STATUS.active) {
    return {
      outcome: APPLY_OUTCOME.noop,
      status: record.status,
      reason: 'admin not granted to an offboarded employee',
    };
  }
  const member = record ? undefined : await createOrAdopt(ctx);
  await deps.meeting.addAdmin(account, call);
  return {
    outcome: APPLY_OUTCOME.adminGranted,
    status: EMPLOYEE_STATUS.active,
    memberId: member?.memberId,
    isAdmin: true,
  };
};

const revoke = async (ctx: StepContext): Promise<Step> => {
  await revokeAdmin(ctx);
  return {
    outcome: APPLY_OUTCOME.adminRevoked,
    status: ctx.record?.status ?? EMPLOYEE_STATUS.deleted,
    isAdmin: false,
  };
};

const HANDLERS: Record<HrEvent['type'], (ctx: StepContext) => Promise<Step>> = {
  [EVENT_TYPES.hired]: activate,
  [EVENT_TYPES.rehired]: activate,
  [EVENT_TYPES.updated]: update,
  [EVENT_TYPES.terminated]: terminate,
  [EVENT_TYPES.adminGranted]: grantAdmin,
  [EVENT_TYPES.adminRevoked]: revoke,
};

/**
 * Applies one HR event to Meeting and records it. Ordered per employee by `version`: an event
 * not newer than the last applied one is skipped (so duplicates and late arrivals cost no API
 * call). Future-dated events are stored and applied by the scheduled function when due.
 */
export const applyEvent = async (
  event: HrEvent,
  deps: LifecycleDeps,
  options: ApplyOptions = {},
): Promise<ApplyResult> => {
  const now = (deps.clock ?? systemClock).now();
  const log = deps.log ?? silentLog;
  const base = { eventId: event.id, employeeId: event.employeeId };

  if (!options.ignoreEffectiveAt && event.effectiveAt !== undefined) {
    const dueAt = Date.parse(event.effectiveAt);
    if (dueAt > now) {
      await deps.store.scheduleAction({
        dueAt,
        eventId: event.id,
        employeeId: event.employeeId,
        event: JSON.stringify(event),
      });
      log.info('event scheduled', { ...base, dueAt: new Date(dueAt).toISOString() });
      return { ...base, outcome: APPLY_OUTCOME.scheduled };
    }
  }

  const record = await deps.store.getEmployee(event.employeeId);
  const due = options.ignoreEffectiveAt === true;
  const newer = !record || event.version > record.lastVersion;
  const newerStatus = !record || event.version > (record.statusVersion ?? -1);
  // A due scheduled event still applies its status decision unless a newer one exists.
  const applies = newer || (due && STATUS_EVENTS.has(event.type) && newerStatus);
  if (!applies) {
    const outcome = record?.lastEventId === event.id ? APPLY_OUTCOME.duplicate : APPLY_OUTCOME.stale;
    const reason = `version ${event.version} is not newer than ${record?.lastVersion}`;
    if (outcome === APPLY_OUTCOME.stale) await deps.store.audit({ ...base, at: now, outcome, reason });
    log.info('event skipped', { ...base, outcome, reason });
    return { ...base, outcome, reason };
  }

  const account = record?.account ?? memberAccountFor(event, deps.accountType);
  const call: CallOptions = {
    requestId: options.requestId ?? event.id,
    accountType: deps.accountType,
    ...(options.signal && { signal: options.signal }),
  };
  const step = await HANDLERS[event.type]({
    event,
    record,
    deps,
    account,
    call,
    applyProfile: newer,
    options,
    now,
  });
  if (step.staged) return { ...base, outcome: step.outcome };

  const next: EmployeeRecord = {
    employeeId: event.employeeId,
    account,
    ...((step.memberId ?? record?.memberId) && { memberId: step.memberId ?? record?.memberId }),
    status: step.status,
    lastVersion: Math.max(event.version, record?.lastVersion ?? -1),
    lastEventId: newer ? event.id : (record?.lastEventId ?? event.id),
    ...(step.statusChanged || record?.statusVersion !== undefined
      ? {
          statusVersion: step.statusChanged
            ? Math.max(event.version, record?.statusVersion ?? -1)
            : record?.statusVersion,
        }
      : {}),
    ...(step.status === EMPLOYEE_STATUS.disabled && {
      disabledAt: record?.status === EMPLOYEE_STATUS.disabled ? record.disabledAt : now,
    }),
    ...(step.status === EMPLOYEE_STATUS.deleted && { deletedAt: record?.deletedAt ?? now }),
    isAdmin: step.isAdmin ?? (step.status === EMPLOYEE_STATUS.active ? (record?.isAdmin ?? false) : false),
    updatedAt: now,
    ...((step.profileApplied || record?.profile) && {
      profile: step.profileApplied ? memberProfileOf(event) : record?.profile,
    }),
  };
  await deps.store.putEmployee(next, record?.lastVersion);
  log.info('event applied', {
    ...base,
    type: event.type,
    outcome: step.outcome,
    ...(step.reason && { reason: step.reason }),
  });
  return { ...base, outcome: step.outcome, ...(step.reason && { reason: step.reason }) };
};
