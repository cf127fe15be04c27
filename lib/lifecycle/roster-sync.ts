import { createHash } from 'node:crypto';
import { MATCH_KEYS, type MatchKey } from '../config/roster-config.js';
import type { RosterRow } from '../events/roster.js';
import { EVENT_TYPES, type HrEvent, hrEventSchema } from '../events/schemas.js';
import { ACCOUNT_TYPE, ADMIN_TYPE, MEMBER_STATUS, type MemberSummary } from '../meeting/schemas.js';
import { EMPLOYEE_STATUS, type EmployeeRecord, StaleWriteError } from '../store/types.js';
import { type Observed, syncEvent } from './apply-event.js';
import { failureReason } from './failures.js';
import { mergeEvent, targetOf } from './hr-state.js';
import { type MemberSelector, memberAccountFor } from './member-mapping.js';
import { flushPendingDisables } from './offboarding.js';
import { type Action, type Applied, planActions } from './plan.js';
import { memberIndex, profileDifferences } from './reconcile.js';
import { APPLY_OUTCOME, type ApplyOutcome, changesMade, type LifecycleContext } from './types.js';

/**
 * Initial load and full resync from an HR export (docs/operations.md "Initial load"). The plan
 * compares the roster with a complete listing of Meeting's members and with our records; applying
 * it turns each roster row into a canonical event for that employee and runs it through the same
 * path as events (`syncEvent`), so records and Meeting end up exactly as events would leave them.
 * Existing members are matched and adopted (`link`), never duplicated; nothing is ever deleted.
 */

export const ROSTER_ACTION = {
  create: 'create',
  update: 'update',
  enable: 'enable',
  disable: 'disable',
  grantAdmin: 'grant-admin',
  revokeAdmin: 'revoke-admin',
  link: 'link',
  conflict: 'conflict',
  unmanaged: 'unmanaged',
} as const;
export type RosterAction = (typeof ROSTER_ACTION)[keyof typeof ROSTER_ACTION];

/** One line of the plan (`--json`: `actions[]`). */
export interface PlannedAction {
  /** The roster's employee; for an unmanaged member, its HR id if it has one, else empty. */
  readonly employeeId: string;
  readonly action: RosterAction;
  /** The Meeting account the action addresses. */
  readonly account: string;
  readonly reason: string;
}

/** One roster row as planned: the event it becomes and how Meeting stands. */
export interface PlannedEmployee {
  readonly row: RosterRow;
  readonly event: HrEvent;
  readonly record?: EmployeeRecord;
  /** Absent for a conflict: nothing is done for that employee. */
  readonly observed?: Observed;
  readonly actions: readonly PlannedAction[];
  /** Whether applying writes anything (Meeting calls, or HR's word new to the record). */
  readonly pending: boolean;
}

export interface RosterPlan {
  readonly employees: readonly PlannedEmployee[];
  /** Every action in order: per employee, then the unmanaged members. */
  readonly actions: readonly PlannedAction[];
  readonly summary: Readonly<Record<string, number>>;
}

export interface RosterPlanOptions {
  /**
   * The HR version the export stands for, compared with the versions events carry (docs/events.md).
   * Default 0: the roster only fills in what no event has said yet, so it never overrides an event.
   */
  readonly version?: number;
  /** Keys tried in order to match an existing member (default thirdAccount, account, email, phone). */
  readonly matchKeys?: readonly MatchKey[];
  /** Names the roster's events (`roster-<id>-<employeeId>`); default: a digest of the rows. */
  readonly rosterId?: string;
  readonly signal?: AbortSignal;
}

const normal = {
  email: (value: string) => value.trim().toLowerCase(),
  phone: (value: string) => value.replace(/[\s()-]/g, ''),
};

/** A member's value for a match key, as compared. */
const memberKey = (member: MemberSummary, key: MatchKey): string | undefined => {
  switch (key) {
    case 'thirdAccount':
      return member.thirdAccount;
    case 'account':
      return member.userAccount;
    case 'email':
      return member.email ? normal.email(member.email) : undefined;
    case 'phone':
      return member.phone ? normal.phone(member.phone) : undefined;
  }
};

/** A row's value for a match key: its HR id, the account HR gives (or would create), its contacts. */
const rowKey = (row: RosterRow, key: MatchKey, ctx: LifecycleContext): string | undefined => {
  switch (key) {
    case 'thirdAccount':
      return row.employeeId;
    case 'account':
      // In account mode a member is created with the HR account, or the HR id: either names it.
      return (
        row.member.account ?? (ctx.accountType === ACCOUNT_TYPE.meetingAccount ? row.employeeId : undefined)
      );
    case 'email':
      return row.member.email ? normal.email(row.member.email) : undefined;
    case 'phone':
      return row.member.phone ? normal.phone(row.member.phone) : undefined;
  }
};

/** The canonical event a roster row stands for: HR's full word on the employee at `version`. */
export const rosterEvent = (row: RosterRow, version: number, rosterId: string): HrEvent =>
  hrEventSchema.parse({
    type: row.status === 'active' ? EVENT_TYPES.updated : EVENT_TYPES.terminated,
    id: `roster-${rosterId}-${row.employeeId}`,
    employeeId: row.employeeId,
    version,
    status: row.status,
    admin: row.admin,
    member: row.member,
  });

/** The actions that change something (conflicts and unmanaged members change nothing). */
export const changesOf = (plan: RosterPlan): PlannedAction[] =>
  plan.actions.filter((a) => a.action !== ROSTER_ACTION.conflict && a.action !== ROSTER_ACTION.unmanaged);

/** A short digest of the rows, so the same export names its events the same way. */
export const rosterDigest = (rows: readonly RosterRow[]): string =>
  createHash('sha256')
    .update(JSON.stringify(rows.map(({ line: _line, ...row }) => row)))
    .digest('hex')
    .slice(0, 12);

type Match =
  | { readonly kind: 'none'; readonly tried: readonly MatchKey[] }
  | { readonly kind: 'one'; readonly member: MemberSummary; readonly by: MatchKey }
  | { readonly kind: 'many'; readonly members: readonly MemberSummary[]; readonly by: MatchKey };

const statusOf = (member: MemberSummary | undefined): Applied['status'] =>
  member === undefined
    ? EMPLOYEE_STATUS.deleted
    : member.status === MEMBER_STATUS.disabled
      ? EMPLOYEE_STATUS.disabled
      : EMPLOYEE_STATUS.active;

/** How to address an adopted member: by our HR id if it carries it (App ID mode), else its account. */
const selectorFor = (member: MemberSummary, employeeId: string, ctx: LifecycleContext): MemberSelector =>
  ctx.accountType === ACCOUNT_TYPE.thirdAccount && member.thirdAccount === employeeId
    ? { account: employeeId, accountType: ACCOUNT_TYPE.thirdAccount }
    : { account: member.userAccount, accountType: ACCOUNT_TYPE.meetingAccount };

const keyOfMember = (member: MemberSummary) => member.id ?? member.userAccount;

/** The roster action(s) one planned lifecycle action stands for, with why. */
const describeAction = (
  action: Action,
  applied: Applied,
  differences: readonly string[],
  hadRecord: boolean,
): { action: RosterAction; reason: string }[] => {
  const fields = `fields differ: ${differences.join(', ')}`;
  const withFields = (first: { action: RosterAction; reason: string }) =>
    differences.length > 0 ? [first, { action: ROSTER_ACTION.update, reason: fields }] : [first];
  switch (action.kind) {
    case 'createMember':
      return [
        {
          action: ROSTER_ACTION.create,
          reason: hadRecord ? 'the member is gone from Meeting' : 'no existing member matched',
        },
      ];
    case 'writeProfile':
      if (action.enabled && applied.status === EMPLOYEE_STATUS.disabled) {
        return withFields({ action: ROSTER_ACTION.enable, reason: 'HR says active; disabled in Meeting' });
      }
      return [{ action: ROSTER_ACTION.update, reason: fields }];
    case 'disable':
    case 'disableIfOurs':
      return withFields({ action: ROSTER_ACTION.disable, reason: 'HR says terminated; enabled in Meeting' });
    case 'grantAdmin':
      return [{ action: ROSTER_ACTION.grantAdmin, reason: 'HR says admin' }];
    case 'revokeAdmin':
      return [{ action: ROSTER_ACTION.revokeAdmin, reason: 'HR says not admin' }];
  }
};

/**
 * The plan: for each roster row, the member it is (by our record, else matched on the keys in
 * order: the first key that finds anyone decides; two members on it are a conflict), and what
 * must change for Meeting to match HR's word. Members no row claims are listed as unmanaged and
 * left alone. Pure reads: Meeting (one complete listing) and the table.
 */
export const planRoster = async (
  ctx: LifecycleContext,
  rows: readonly RosterRow[],
  options: RosterPlanOptions = {},
): Promise<RosterPlan> => {
  const version = options.version ?? 0;
  const keys = options.matchKeys ?? MATCH_KEYS;
  const rosterId = options.rosterId ?? rosterDigest(rows);
  const call = {
    accountType: ctx.accountType,
    requestId: `roster-${rosterId}`,
    ...(options.signal && { signal: options.signal }),
  };
  const [listing, records, managed] = await Promise.all([
    ctx.meeting.listAllMembers({}, call),
    ctx.store.getEmployees(rows.map((r) => r.employeeId)),
    ctx.store.listManaged(),
  ]);
  const find = memberIndex(listing, ctx.accountType);
  const index = new Map<MatchKey, Map<string, MemberSummary[]>>(
    keys.map((key) => {
      const byValue = new Map<string, MemberSummary[]>();
      for (const member of listing) {
        const value = memberKey(member, key);
        if (value === undefined || value === '') continue;
        const same = byValue.get(value);
        if (same) same.push(member);
        else byValue.set(value, [member]);
      }
      return [key, byValue];
    }),
  );
  const match = (row: RosterRow): Match => {
    for (const key of keys) {
      const value = rowKey(row, key, ctx);
      const found = value === undefined ? [] : (index.get(key)!.get(value) ?? []);
      if (found.length === 1) return { kind: 'one', member: found[0]!, by: key };
      if (found.length > 1) return { kind: 'many', members: found, by: key };
    }
    return { kind: 'none', tried: keys };
  };

  // Members that are some employee's already: by the records of the employees we manage.
  const owner = new Map<string, string>();
  const inRoster = new Set(rows.map((r) => r.employeeId));
  for (const record of [...managed, ...records.values()]) {
    if (record.status === EMPLOYEE_STATUS.deleted) continue;
    const member = find(record);
    if (member) owner.set(keyOfMember(member), record.employeeId);
  }

  interface Draft {
    row: RosterRow;
    record?: EmployeeRecord;
    member?: MemberSummary;
    link?: { by: MatchKey; selector: MemberSelector };
    conflict?: string;
  }
  const drafts: Draft[] = rows.map((row) => {
    const record = records.get(row.employeeId);
    const base = { row, ...(record && { record }) };
    if (record && record.status !== EMPLOYEE_STATUS.deleted) {
      const member = find(record);
      return { ...base, ...(member && { member }) };
    }
    const found = match(row);
    if (found.kind === 'none') return base;
    if (found.kind === 'many') {
      const accounts = found.members.map((m) => m.userAccount).join(', ');
      return { ...base, conflict: `${found.members.length} members match by ${found.by}: ${accounts}` };
    }
    const { member, by } = found;
    const claimedBy = owner.get(keyOfMember(member));
    if (claimedBy !== undefined && claimedBy !== row.employeeId) {
      return {
        ...base,
        conflict: `member ${member.userAccount} (by ${by}) is already employee ${claimedBy}'s`,
      };
    }
    if (member.thirdAccount !== undefined && member.thirdAccount !== row.employeeId) {
      return {
        ...base,
        conflict: `member ${member.userAccount} (by ${by}) carries another HR id, ${member.thirdAccount}`,
      };
    }
    return { ...base, member, link: { by, selector: selectorFor(member, row.employeeId, ctx) } };
  });

  // One member for two employees is never resolved by a guess.
  const claims = new Map<string, Draft[]>();
  for (const draft of drafts) {
    if (draft.member && !draft.conflict) {
      const key = keyOfMember(draft.member);
      const same = claims.get(key);
      if (same) same.push(draft);
      else claims.set(key, [draft]);
    }
  }
  for (const [, claimants] of claims) {
    if (claimants.length < 2) continue;
    const ids = claimants.map((d) => d.row.employeeId).join(', ');
    for (const draft of claimants) {
      draft.conflict = `member ${draft.member!.userAccount} matches several employees: ${ids}`;
    }
  }

  const now = ctx.clock.now();
  const employees: PlannedEmployee[] = drafts.map((draft) => {
    const { row, record, member, link } = draft;
    const event = rosterEvent(row, version, rosterId);
    const account = link?.selector.account ?? record?.account ?? memberAccountFor(event, ctx.accountType);
    const entry = (action: RosterAction, reason: string): PlannedAction => ({
      employeeId: row.employeeId,
      action,
      account,
      reason,
    });
    const base = { row, event, ...(record && { record }) };
    if (draft.conflict) {
      return { ...base, actions: [entry(ROSTER_ACTION.conflict, draft.conflict)], pending: false };
    }
    if (member?.adminType === ADMIN_TYPE.default) {
      const reason = 'the enterprise default administrator is never managed by this system';
      return { ...base, actions: [entry(ROSTER_ACTION.conflict, reason)], pending: false };
    }
    const merge = mergeEvent(record, event);
    const profile = merge.hr.profile!;
    const differences = member ? profileDifferences(member, profile.value) : [];
    const applied: Applied = {
      status: statusOf(member),
      isAdmin: member?.adminType === ADMIN_TYPE.common,
      // Meeting already holds HR's profile: nothing to write.
      profileApplied: member && differences.length === 0 ? profile.version : -1,
      ...(member?.id && { memberId: member.id }),
    };
    const planned = planActions(applied, targetOf(merge.hr), merge);
    const actions = [
      ...(link
        ? [entry(ROSTER_ACTION.link, `existing member matched by ${link.by}: ${member!.userAccount}`)]
        : []),
      ...planned.flatMap((action) =>
        describeAction(action, applied, differences, record !== undefined).map((a) =>
          entry(a.action, a.reason),
        ),
      ),
    ];
    const observed: Observed = {
      applied,
      ...(link && { link: { selector: link.selector, link: { by: link.by, at: now } } }),
    };
    return { ...base, observed, actions, pending: actions.length > 0 || merge.advanced.length > 0 };
  });

  const claimed = new Set(drafts.flatMap((d) => (d.member ? [keyOfMember(d.member)] : [])));
  const unmanaged = listing
    .filter((m) => !claimed.has(keyOfMember(m)))
    .map((m): PlannedAction => {
      const ownerId = owner.get(keyOfMember(m));
      const reason =
        m.adminType === ADMIN_TYPE.default
          ? 'enterprise default administrator'
          : ownerId !== undefined && !inRoster.has(ownerId)
            ? `employee ${ownerId}'s (a record of ours), not in the roster`
            : m.thirdAccount
              ? `HR id ${m.thirdAccount} is not in the roster`
              : 'no HR id, matches no roster row';
      return {
        employeeId: ownerId ?? m.thirdAccount ?? '',
        action: ROSTER_ACTION.unmanaged,
        account: m.userAccount,
        reason,
      };
    });

  const actions = [...employees.flatMap((e) => e.actions), ...unmanaged];
  const summary: Record<string, number> = {};
  for (const a of actions) summary[a.action] = (summary[a.action] ?? 0) + 1;
  return { employees, actions, summary };
};

export interface RosterApplyOptions {
  /** Disables beyond the circuit breaker's limits are applied, not staged (an operator decided). */
  readonly approveMassOffboarding?: boolean;
  /** Employees applied at once (default 8). */
  readonly concurrency?: number;
  /** After each employee: how many are done out of how many. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface RosterApplyReport {
  /** Employees per outcome of their event (created, updated, disabled, staged, noop, ...). */
  readonly outcomes: Readonly<Record<string, number>>;
  /**
   * Every change made in Meeting (an outcome is only an event's first: a hire of an admin is
   * `created` there, `created` and `adminGranted` here). Batched disables are in `disabled`.
   */
  readonly changes: Readonly<Record<string, number>>;
  readonly staged: readonly string[];
  readonly failed: readonly { employeeId: string; reason: string }[];
  /** Disables sent as batch calls at the end. */
  readonly disabled: number;
}

/**
 * Carries out a plan through the lifecycle: the same client, token cache, records, audit and
 * circuit breaker as events. Conflicts are left alone. An employee whose record changed since the
 * plan (an event landed meanwhile) is reported as failed: plan again. Disables are coalesced and
 * sent at the end.
 */
export const applyRosterPlan = async (
  ctx: LifecycleContext,
  plan: RosterPlan,
  options: RosterApplyOptions = {},
): Promise<RosterApplyReport> => {
  const work = plan.employees.filter((e) => e.pending && e.observed);
  const outcomes: Record<string, number> = {};
  const changes: Record<string, number> = {};
  const staged: string[] = [];
  const failed: { employeeId: string; reason: string }[] = [];
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const employee = work[next++]!;
      options.signal?.throwIfAborted();
      try {
        const result = await syncEvent(ctx, employee.event, employee.record, employee.observed!, {
          source: 'roster',
          requestId: employee.event.id,
          ...(options.approveMassOffboarding && { approved: true }),
          ...(options.signal && { signal: options.signal }),
        });
        const outcome: ApplyOutcome = result.outcome;
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        for (const change of changesMade(result)) changes[change] = (changes[change] ?? 0) + 1;
        if (outcome === APPLY_OUTCOME.staged) staged.push(employee.event.employeeId);
      } catch (error) {
        failed.push({
          employeeId: employee.event.employeeId,
          reason:
            error instanceof StaleWriteError
              ? 'changed since the plan (an event landed meanwhile): plan again'
              : failureReason(error),
        });
      }
      options.onProgress?.(++done, work.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, work.length) }, worker));
  let disabled = 0;
  for (;;) {
    const flush = await flushPendingDisables(ctx, options.signal ? { signal: options.signal } : {});
    disabled += flush.flushed;
    if (!flush.incomplete) break;
  }
  return { outcomes, changes, staged, failed, disabled };
};
