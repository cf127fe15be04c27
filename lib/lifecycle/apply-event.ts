import type { HrEvent } from '../events/schemas.js';
import { ifNotFound } from '../http/errors.js';
import { MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions } from '../meeting/types.js';
import { EMPLOYEE_STATUS, type EmployeeRecord } from '../store/types.js';
import { type Merge, mergeEvent, sameProfile, targetOf } from './hr-state.js';
import { addMemberInputFor, memberAccountFor, updateMemberInputFor } from './member-mapping.js';
import { cancelPendingDisable, checkBreaker, requestDisable, stageAction } from './offboarding.js';
import { type Action, type Applied, appliedOf, nextRecord, planActions } from './plan.js';
import {
  APPLY_OUTCOME,
  type ApplyOptions,
  type ApplyOutcome,
  type ApplyResult,
  type LifecycleContext,
} from './types.js';

interface Run {
  readonly ctx: LifecycleContext;
  readonly event: HrEvent;
  readonly merge: Merge;
  readonly account: string;
  readonly call: CallOptions;
  readonly options: ApplyOptions;
  readonly now: number;
}

/** What one action did: Meeting as it now stands, and the change to report (none = nothing to do). */
type Executed = { readonly applied: Applied; readonly change?: ApplyOutcome; readonly reason?: string };

/** Create, or adopt ours (same HR id) if it exists; enable it if it was disabled. */
const createMember = async (run: Run, applied: Applied): Promise<Executed> => {
  const { ctx, account, call, merge } = run;
  const profile = merge.hr.profile!;
  const input = addMemberInputFor(profile.value, run.event.employeeId, account, ctx);
  const { member, outcome } = await ctx.meeting.ensureMember(input, call);
  // ensureMember writes our fields into an adopted member only where they differ.
  const created = { ...applied, memberId: member.id, profileApplied: profile.version };
  if (member.status === MEMBER_STATUS.disabled) {
    await ctx.meeting.setMembersStatus([account], MEMBER_STATUS.normal, call);
    return { applied: { ...created, status: EMPLOYEE_STATUS.active }, change: APPLY_OUTCOME.enabled };
  }
  const change = outcome === 'created' ? APPLY_OUTCOME.created : APPLY_OUTCOME.adopted;
  return { applied: { ...created, status: EMPLOYEE_STATUS.active }, change };
};

/** One call writes the profile and the status (ModUserDTO carries both). */
const writeProfile = async (run: Run, applied: Applied, enabled: boolean): Promise<Executed> => {
  const { ctx, account, call, merge } = run;
  const profile = merge.hr.profile!;
  const reEnable = enabled && applied.status === EMPLOYEE_STATUS.disabled;
  // A disable still waiting in the buffer would otherwise land after this re-enable.
  if (reEnable) await cancelPendingDisable(ctx, run.event.employeeId);
  const status = enabled ? MEMBER_STATUS.normal : MEMBER_STATUS.disabled;
  return ifNotFound<Executed, Executed>(
    async () => {
      const member = await ctx.meeting.updateMember(
        account,
        updateMemberInputFor(profile.value, status),
        call,
      );
      return {
        applied: {
          ...applied,
          memberId: member.id,
          profileApplied: profile.version,
          status: enabled ? EMPLOYEE_STATUS.active : EMPLOYEE_STATUS.disabled,
        },
        change: reEnable
          ? APPLY_OUTCOME.enabled
          : !enabled && applied.status === EMPLOYEE_STATUS.active
            ? APPLY_OUTCOME.disabled
            : APPLY_OUTCOME.updated,
      };
    },
    // Deleted outside this system (or by cleanup): an active employee gets the member back.
    () =>
      enabled
        ? createMember(run, { ...applied, status: EMPLOYEE_STATUS.deleted })
        : {
            applied: { ...applied, status: EMPLOYEE_STATUS.deleted, isAdmin: false },
            reason: 'member no longer exists',
          },
  );
};

/** Disables, unless the circuit breaker stages it (then nothing at all is applied). */
const disable = async (run: Run, applied: Applied, withProfile: boolean): Promise<Executed | 'staged'> => {
  const { ctx, event } = run;
  if (!run.options.approved) {
    const stageId = await checkBreaker(ctx, 'disable', 1);
    if (stageId) {
      await stageAction(ctx, {
        stageId,
        kind: 'disable',
        employeeId: event.employeeId,
        event: JSON.stringify(event),
      });
      return 'staged';
    }
  }
  if (applied.isAdmin) await revokeAdmin(run);
  const revoked = { ...applied, isAdmin: false };
  // A changed profile is written with the disabled status: one call does both.
  if (withProfile) return writeProfile(run, revoked, false);
  // Otherwise coalesced: the worker's flush sends one batch status call for up to 100 leavers.
  await requestDisable(ctx, {
    employeeId: event.employeeId,
    account: run.account,
    eventId: event.id,
    requestedAt: run.now,
  });
  return { applied: { ...revoked, status: EMPLOYEE_STATUS.disabled }, change: APPLY_OUTCOME.disabled };
};

const revokeAdmin = (run: Run) =>
  ifNotFound(
    () => run.ctx.meeting.deleteAdmins([run.account], run.call),
    () => undefined,
  );

const execute = async (run: Run, action: Action, applied: Applied): Promise<Executed | 'staged'> => {
  switch (action.kind) {
    case 'createMember':
      return createMember(run, applied);
    case 'writeProfile':
      return writeProfile(run, applied, action.enabled);
    case 'disable':
      return disable(run, applied, action.withProfile);
    case 'disableIfOurs': {
      // Unknown to us: only a member carrying this HR id is ours to disable.
      const existing = await run.ctx.meeting.findMember(run.account, run.call);
      if (existing?.thirdAccount !== run.event.employeeId) {
        return { applied: { ...applied, status: EMPLOYEE_STATUS.deleted }, reason: 'no member' };
      }
      const found: Applied = {
        ...applied,
        status:
          existing.status === MEMBER_STATUS.disabled ? EMPLOYEE_STATUS.disabled : EMPLOYEE_STATUS.active,
        isAdmin: existing.adminType === 1,
        memberId: existing.id,
      };
      return found.status === EMPLOYEE_STATUS.active
        ? disable(run, found, false)
        : { applied: found, reason: 'already disabled' };
    }
    case 'grantAdmin':
      await run.ctx.meeting.addAdmin(run.account, run.call);
      return { applied: { ...applied, isAdmin: true }, change: APPLY_OUTCOME.adminGranted };
    case 'revokeAdmin':
      await revokeAdmin(run);
      return { applied: { ...applied, isAdmin: false }, change: APPLY_OUTCOME.adminRevoked };
  }
};

/**
 * A newer profile identical to the one last written needs no Meeting call: it counts as written.
 * (An admin event carries the full profile; granting must not cost an update as well.)
 */
const withUnchangedProfile = (
  applied: Applied,
  record: EmployeeRecord | undefined,
  merge: Merge,
): Applied => {
  const written = record?.hr.profile;
  const next = merge.hr.profile;
  if (!written || !next || written.version !== applied.profileApplied) return applied;
  return sameProfile(written.value, next.value) ? { ...applied, profileApplied: next.version } : applied;
};

const skip = async (
  ctx: LifecycleContext,
  event: HrEvent,
  record: EmployeeRecord | undefined,
  now: number,
) => {
  const base = { eventId: event.id, employeeId: event.employeeId };
  // Duplicate: the newest event seen, again. Stale: an older one, recorded for the history.
  const outcome = record?.lastEventId === event.id ? APPLY_OUTCOME.duplicate : APPLY_OUTCOME.stale;
  const reason = `version ${event.version} is not newer than what is known for any aspect it states`;
  if (outcome === APPLY_OUTCOME.stale) await ctx.store.audit({ ...base, at: now, outcome, reason });
  ctx.log.info('event skipped', { ...base, outcome, reason });
  return { ...base, outcome, reason };
};

/**
 * Applies one HR event: folds it into HR's word on the employee, one newest-wins register per
 * aspect (profile, employment, admin role), then changes Meeting until it matches. An event
 * that moves no aspect forward (a duplicate, a late arrival) makes no Meeting call, and an older
 * event never undoes a newer one, whatever the delivery order. Future-dated events are stored and
 * applied when due.
 */
export const applyEvent = async (
  ctx: LifecycleContext,
  event: HrEvent,
  options: ApplyOptions = {},
): Promise<ApplyResult> => {
  const now = ctx.clock.now();
  const base = { eventId: event.id, employeeId: event.employeeId };

  if (!options.ignoreEffectiveAt && event.effectiveAt !== undefined) {
    const dueAt = Date.parse(event.effectiveAt);
    if (dueAt > now) {
      await ctx.store.scheduleAction({
        dueAt,
        eventId: event.id,
        employeeId: event.employeeId,
        event: JSON.stringify(event),
      });
      ctx.log.info('event scheduled', { ...base, dueAt: new Date(dueAt).toISOString() });
      return { ...base, outcome: APPLY_OUTCOME.scheduled };
    }
  }

  const record = await ctx.store.getEmployee(event.employeeId);
  const merge = mergeEvent(record, event);
  if (merge.advanced.length === 0) return skip(ctx, event, record, now);

  const account = record?.account ?? memberAccountFor(event, ctx.accountType);
  const run: Run = {
    ctx,
    event,
    merge,
    account,
    options,
    now,
    call: {
      requestId: options.requestId ?? event.id,
      accountType: ctx.accountType,
      ...(options.signal && { signal: options.signal }),
    },
  };
  let applied = withUnchangedProfile(appliedOf(record), record, merge);
  const changes: ApplyOutcome[] = [];
  let reason: string | undefined;
  for (const action of planActions(applied, targetOf(merge.hr), merge)) {
    const result = await execute(run, action, applied);
    if (result === 'staged') return { ...base, outcome: APPLY_OUTCOME.staged };
    applied = result.applied;
    if (result.change) changes.push(result.change);
    reason ??= result.reason;
  }

  await ctx.store.putEmployee(
    nextRecord({ previous: record, employeeId: event.employeeId, account, event, merge, applied, now }),
    record?.revision,
  );
  const why = reason ?? (changes.length === 0 ? 'Meeting already matches' : undefined);
  const result: ApplyResult = {
    ...base,
    outcome: changes[0] ?? APPLY_OUTCOME.noop,
    ...(changes.length > 1 && { changes }),
    ...(why && { reason: why }),
  };
  ctx.log.info('event applied', { ...result, type: event.type, advanced: merge.advanced });
  return result;
};
