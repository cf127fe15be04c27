import type { HrEvent } from '../events/schemas.js';
import { ifNotFound } from '../http/errors.js';
import { ACCOUNT_TYPE, MEMBER_STATUS } from '../meeting/schemas.js';
import type { CallOptions, MeetingClient } from '../meeting/types.js';
import { EMPLOYEE_STATUS, type EmployeeRecord, type MemberLink } from '../store/types.js';
import { withCallLog } from './call-log.js';
import { type Merge, mergeEvent, sameProfile, targetOf } from './hr-state.js';
import {
  addMemberInputFor,
  type MemberSelector,
  memberAccountFor,
  selectorOf,
  storedAccountType,
  updateMemberInputFor,
} from './member-mapping.js';
import { cancelPendingDisable, checkBreaker, requestDisable, stageAction } from './offboarding.js';
import { type Action, type Applied, appliedOf, nextRecord, planActions } from './plan.js';
import {
  APPLY_OUTCOME,
  type ApplyOptions,
  type ApplyOutcome,
  type ApplyResult,
  changesMade,
  type LifecycleContext,
} from './types.js';

interface Run {
  /** The context, with a Meeting client that notes the calls this event makes (the audit's `calls`). */
  readonly ctx: LifecycleContext;
  readonly event: HrEvent;
  readonly merge: Merge;
  /** How this employee's member is addressed: by the record's selector, else the default. */
  readonly selector: MemberSelector;
  readonly call: CallOptions;
  readonly options: ApplyOptions;
  readonly now: number;
  /** Calls made on Meeting's side on this event's behalf later (the coalesced batch disable). */
  readonly deferred: string[];
}

/** What one action did: Meeting as it now stands, and the change to report (none = nothing to do). */
type Executed = {
  readonly applied: Applied;
  readonly change?: ApplyOutcome;
  readonly reason?: string;
  /** The member is now addressed differently (a member created again after a linked one was deleted). */
  readonly selector?: MemberSelector;
};

const callFor = (run: Pick<Run, 'event' | 'options'>, selector: MemberSelector): CallOptions => ({
  requestId: run.options.requestId ?? run.event.id,
  accountType: selector.accountType,
  ...(run.options.signal && { signal: run.options.signal }),
  ...(run.options.budget && { budget: run.options.budget }),
});

/** Create, or adopt ours (same HR id) if it exists; enable it if it was disabled. */
const createMember = async (run: Run, applied: Applied): Promise<Executed> => {
  const { ctx, merge } = run;
  const profile = merge.hr.profile!;
  // A new member carries our HR id: in App ID mode it is addressed by it from now on, even if
  // the member it replaces was an adopted one addressed by its Meeting account.
  const selector: MemberSelector =
    ctx.accountType === ACCOUNT_TYPE.thirdAccount
      ? { account: run.event.employeeId, accountType: ACCOUNT_TYPE.thirdAccount }
      : { account: run.selector.account, accountType: ACCOUNT_TYPE.meetingAccount };
  const call = callFor(run, selector);
  const input = addMemberInputFor(profile.value, run.event.employeeId, selector.account, ctx);
  const { member, outcome } = await ctx.meeting.ensureMember(input, call);
  // ensureMember writes our fields into an adopted member only where they differ.
  const created = { ...applied, memberId: member.id, profileApplied: profile.version };
  if (member.status === MEMBER_STATUS.disabled) {
    await ctx.meeting.setMembersStatus([selector.account], MEMBER_STATUS.normal, call);
    return {
      applied: { ...created, status: EMPLOYEE_STATUS.active },
      change: APPLY_OUTCOME.enabled,
      selector,
    };
  }
  const change = outcome === 'created' ? APPLY_OUTCOME.created : APPLY_OUTCOME.adopted;
  return { applied: { ...created, status: EMPLOYEE_STATUS.active }, change, selector };
};

/** One call writes the profile and the status (ModUserDTO carries both). */
const writeProfile = async (run: Run, applied: Applied, enabled: boolean): Promise<Executed> => {
  const { ctx, call, merge } = run;
  const profile = merge.hr.profile!;
  const reEnable = enabled && applied.status === EMPLOYEE_STATUS.disabled;
  // A disable still waiting in the buffer would otherwise land after this re-enable.
  if (reEnable) await cancelPendingDisable(ctx, run.event.employeeId);
  const status = enabled ? MEMBER_STATUS.normal : MEMBER_STATUS.disabled;
  return ifNotFound<Executed, Executed>(
    async () => {
      const member = await ctx.meeting.updateMember(
        run.selector.account,
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
  // The admin role, if any, is revoked after this (planActions): access goes first.
  // A changed profile is written with the disabled status: one call does both.
  if (withProfile) return writeProfile(run, applied, false);
  // Otherwise coalesced: the worker's flush sends one batch status call for up to 100 leavers.
  await requestDisable(ctx, {
    employeeId: event.employeeId,
    account: run.selector.account,
    ...(run.selector.accountType !== ctx.accountType && { accountType: run.selector.accountType }),
    eventId: event.id,
    requestedAt: run.now,
  });
  run.deferred.push(`setMembersStatus ${run.selector.account} (disable, batched)`);
  return { applied: { ...applied, status: EMPLOYEE_STATUS.disabled }, change: APPLY_OUTCOME.disabled };
};

const revokeAdmin = (run: Run) =>
  ifNotFound(
    () => run.ctx.meeting.deleteAdmins([run.selector.account], run.call),
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
      const existing = await run.ctx.meeting.findMember(run.selector.account, run.call);
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
      const result: Executed | 'staged' =
        found.status === EMPLOYEE_STATUS.active
          ? await disable(run, found, false)
          : { applied: found, reason: 'already disabled' };
      // An admin found only now (no plan could know it): revoked after the disable, as planned ones.
      if (result === 'staged' || !found.isAdmin) return result;
      await revokeAdmin(run);
      return { ...result, applied: { ...result.applied, isAdmin: false } };
    }
    case 'grantAdmin':
      await run.ctx.meeting.addAdmin(run.selector.account, run.call);
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

/** What the audit keeps of an event and its delivery. */
const auditBase = (event: HrEvent, options: ApplyOptions) => ({
  employeeId: event.employeeId,
  eventId: event.id,
  type: event.type,
  version: event.version,
  ...(event.effectiveAt !== undefined && { effectiveAt: event.effectiveAt }),
  ...(options.receivedAt !== undefined && { receivedAt: options.receivedAt }),
  ...(options.receiveCount !== undefined && { receiveCount: options.receiveCount }),
  source: options.source ?? 'queue',
});

/**
 * Records what became of the event (`npm run history`). The audit is a record of what happened,
 * never a reason to fail the event: a failed write is logged and the event goes on.
 */
const audit = async (
  ctx: LifecycleContext,
  event: HrEvent,
  options: ApplyOptions,
  result: ApplyResult,
  calls: readonly string[] = [],
) => {
  try {
    await ctx.store.audit({
      ...auditBase(event, options),
      at: ctx.clock.now(),
      outcome: result.outcome,
      ...(result.reason !== undefined && { reason: result.reason }),
      changes: [...changesMade(result)],
      calls,
    });
  } catch (error) {
    ctx.log.warn('audit write failed', { eventId: event.id, employeeId: event.employeeId, error });
  }
};

const skip = async (
  ctx: LifecycleContext,
  event: HrEvent,
  record: EmployeeRecord | undefined,
  options: ApplyOptions,
): Promise<ApplyResult> => {
  const base = { eventId: event.id, employeeId: event.employeeId };
  // Duplicate: the newest event seen, again. Stale: an older one.
  const outcome = record?.lastEventId === event.id ? APPLY_OUTCOME.duplicate : APPLY_OUTCOME.stale;
  const reason = `version ${event.version} is not newer than what is known for any aspect it states`;
  const result = { ...base, outcome, reason };
  await audit(ctx, event, options, result);
  ctx.log.info('event skipped', { ...base, outcome, reason });
  return result;
};

/** What the roster sync hands over: Meeting as the listing shows it, and the member it adopts. */
export interface Observed {
  /** The member as found in Meeting (`status: 'deleted'` = none). Replaces what the record believes. */
  readonly applied: Applied;
  /** A member adopted as this employee's: how to address it, and how it was found. */
  readonly link?: { readonly selector: MemberSelector; readonly link: MemberLink };
}

interface Settle {
  readonly event: HrEvent;
  readonly record: EmployeeRecord | undefined;
  readonly merge: Merge;
  readonly applied: Applied;
  readonly selector: MemberSelector;
  readonly linked?: MemberLink;
}

/** Changes Meeting until it matches HR's word, then writes the record (conditioned on the read). */
const settle = async (
  base: LifecycleContext,
  { event, record, merge, applied: start, selector: first, linked }: Settle,
  options: ApplyOptions,
): Promise<ApplyResult> => {
  const now = base.clock.now();
  const ids = { eventId: event.id, employeeId: event.employeeId };
  const logged = withCallLog(base.meeting);
  const ctx: LifecycleContext = { ...base, meeting: logged.client as MeetingClient };
  let run: Run = {
    ctx,
    event,
    merge,
    selector: first,
    call: callFor({ event, options }, first),
    options,
    now,
    deferred: [],
  };
  let applied = start;
  const changes: ApplyOutcome[] = [];
  let reason: string | undefined;
  const actions = planActions(applied, targetOf(merge.hr), merge);
  // Meeting runs ahead of the record until the write below: cleanup leaves the member alone.
  if (record && actions.length > 0) await ctx.store.markApplying(event.employeeId, now);
  for (const action of actions) {
    const result = await execute(run, action, applied);
    if (result === 'staged') {
      const staged: ApplyResult = {
        ...ids,
        outcome: APPLY_OUTCOME.staged,
        reason: 'mass-offboarding circuit breaker open: waits for approval (npm run offboarding -- list)',
        ...(logged.calls.length > 0 && { meetingCalls: logged.calls.length }),
      };
      await audit(base, event, options, staged, logged.calls);
      return staged;
    }
    applied = result.applied;
    if (result.selector) run = { ...run, selector: result.selector, call: callFor(run, result.selector) };
    if (result.change) changes.push(result.change);
    reason ??= result.reason;
  }

  await ctx.store.putEmployee(
    nextRecord({
      previous: record,
      employeeId: event.employeeId,
      account: run.selector.account,
      accountType: storedAccountType(run.selector, ctx.accountType),
      ...(linked && { linked }),
      event,
      merge,
      applied,
      now,
    }),
    record?.revision,
  );
  const why = reason ?? (changes.length === 0 ? 'Meeting already matches' : undefined);
  const result: ApplyResult = {
    ...ids,
    outcome: changes[0] ?? APPLY_OUTCOME.noop,
    ...(changes.length > 1 && { changes }),
    ...(why && { reason: why }),
    ...(logged.calls.length > 0 && { meetingCalls: logged.calls.length }),
  };
  await audit(base, event, options, result, [...logged.calls, ...run.deferred]);
  ctx.log.info('event applied', { ...result, type: event.type, advanced: merge.advanced });
  return result;
};

/**
 * Applies one HR event: folds it into HR's word on the employee, one newest-wins register per
 * aspect (profile, employment, admin role), then changes Meeting until it matches. An event
 * that moves no aspect forward (a duplicate, a late arrival) makes no Meeting call, and an older
 * event never undoes a newer one, whatever the delivery order. Future-dated events are stored and
 * applied when due. Every outcome is audited.
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
      const result: ApplyResult = {
        ...base,
        outcome: APPLY_OUTCOME.scheduled,
        reason: `effective ${event.effectiveAt}: applied when due`,
      };
      await audit(ctx, event, options, result);
      return result;
    }
  }

  const record = await ctx.store.getEmployee(event.employeeId);
  const merge = mergeEvent(record, event);
  if (merge.advanced.length === 0) return skip(ctx, event, record, options);
  const selector = record
    ? selectorOf(record, ctx.accountType)
    : { account: memberAccountFor(event, ctx.accountType), accountType: ctx.accountType };
  const applied = withUnchangedProfile(appliedOf(record), record, merge);
  return settle(ctx, { event, record, merge, applied, selector }, options);
};

/**
 * The roster sync's path (docs/operations.md "Initial load"): the same as applyEvent, but
 * planned from Meeting as a complete listing shows it rather than from what the record
 * believes, so a member changed by hand is put back too, and an existing member can be adopted.
 * An adopted member's record is written first, so that a disable the circuit breaker stages is
 * applied to that member on approval. Nothing is written when nothing is to be done.
 */
export const syncEvent = async (
  ctx: LifecycleContext,
  event: HrEvent,
  record: EmployeeRecord | undefined,
  observed: Observed,
  options: ApplyOptions = {},
): Promise<ApplyResult> => {
  let current = record;
  if (observed.link) {
    const { selector, link } = observed.link;
    const adopted = nextRecord({
      previous: record,
      employeeId: event.employeeId,
      account: selector.account,
      accountType: storedAccountType(selector, ctx.accountType),
      linked: link,
      // HR's word is not changed by adopting a member: the event below brings it.
      event: { id: record?.lastEventId ?? '', version: record?.lastVersion ?? -1 },
      merge: { hr: record?.hr ?? {}, advanced: [] },
      applied: observed.applied,
      now: ctx.clock.now(),
    });
    await ctx.store.putEmployee(adopted, record?.revision);
    current = adopted;
  }
  const merge = mergeEvent(current, event);
  const selector = current
    ? selectorOf(current, ctx.accountType)
    : { account: memberAccountFor(event, ctx.accountType), accountType: ctx.accountType };
  const { applied } = observed;
  if (merge.advanced.length === 0 && planActions(applied, targetOf(merge.hr), merge).length === 0) {
    return {
      eventId: event.id,
      employeeId: event.employeeId,
      outcome: APPLY_OUTCOME.noop,
      reason: 'Meeting already matches',
    };
  }
  return settle(ctx, { event, record: current, merge, applied, selector }, options);
};
