/** Meeting's accountType of a selector: 0 = Meeting account, 1 = third-party (HR) id. */
export type SelectorType = 0 | 1;

/** An existing member adopted as an employee's by the roster sync. */
export interface MemberLink {
  /** The key that matched (thirdAccount, account, email or phone). */
  readonly by: string;
  /** Epoch ms. */
  readonly at: number;
}

/** Lifecycle status of one employee's Meeting member, as this system last left it. */
export const EMPLOYEE_STATUS = { active: 'active', disabled: 'disabled', deleted: 'deleted' } as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUS)[keyof typeof EMPLOYEE_STATUS];

/** Employment status as HR states it (docs/events.md). */
export const EMPLOYMENT = { active: 'active', terminated: 'terminated' } as const;
export type Employment = (typeof EMPLOYMENT)[keyof typeof EMPLOYMENT];

/**
 * One aspect of what HR says about an employee, as a last-writer-wins register: the value of
 * the newest event (highest `version`) that spoke about this aspect.
 */
export interface Aspect<T> {
  readonly value: T;
  readonly version: number;
  readonly eventId: string;
}

/**
 * What HR last said, per aspect (docs/design.md, "Per-aspect convergence"). Each aspect follows
 * its own newest event, so an event about one aspect never cancels a newer event about another.
 */
export interface HrState {
  /** Every event carries the full profile, so every event can move this forward. */
  readonly profile?: Aspect<MemberProfile>;
  /** Absent: no event has stated it yet (an employee we hear of is taken to be active). */
  readonly employment?: Aspect<Employment>;
  /** Absent: no event has stated it yet (the role is left as it is). */
  readonly admin?: Aspect<boolean>;
}
export type AspectName = keyof HrState;

/**
 * Per-employee lifecycle record: what HR says (`hr`, per aspect) and what this system last left
 * in Meeting (`status`, `isAdmin`, `profileApplied`). The only members cleanup may ever touch are
 * those with a record.
 */
export interface EmployeeRecord {
  readonly employeeId: string;
  /** Identifier used on Meeting calls (Meeting account, or the HR id when accountType=1). */
  readonly account: string;
  /**
   * How `account` addresses the member, when the record says so (absent: the deployment's
   * default, by HR id in App ID mode). 0 = by Meeting account: a member adopted by the roster
   * sync that carries no HR id (ModUserDTO cannot write one), docs/operations.md "Initial load".
   */
  readonly accountType?: SelectorType;
  /** How the roster sync adopted an existing member as this employee's. */
  readonly linked?: MemberLink;
  readonly memberId?: string;
  /** The member as this system last left it: enabled, disabled, or gone (never created or deleted). */
  readonly status: EmployeeStatus;
  /** The enterprise admin role as this system last left it. */
  readonly isAdmin: boolean;
  /** Version of the HR profile last written to Meeting (behind `hr.profile` while none can be written). */
  readonly profileApplied?: number;
  readonly hr: HrState;
  /**
   * Events at or below this version are stale for every aspect. Set when a record written before
   * per-aspect versions is read: its single version then stood for all aspects.
   */
  readonly floorVersion?: number;
  /** The newest version seen for this employee (any aspect), and its event id. */
  readonly lastVersion: number;
  readonly lastEventId: string;
  /** Epoch ms when the member was disabled (offboarding); cleanup deletes after retention. */
  readonly disabledAt?: number;
  readonly deletedAt?: number;
  readonly updatedAt: number;
  /** Write counter for optimistic concurrency: every write expects the revision it read. */
  readonly revision: number;
  /**
   * Epoch ms when an event started changing Meeting for this employee (markApplying); its record
   * write clears it. Meanwhile Meeting is ahead of the record, and cleanup must not "correct" it.
   */
  readonly applyingSince?: number;
}

/** Member fields as sent on update (docs/meeting-api.md §2.4). */
export interface MemberProfile {
  readonly name: string;
  readonly englishName?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly country?: string;
  readonly title?: string;
  readonly deptCode: string;
}

/** An effective-dated event stored until it is due. */
export interface ScheduledAction {
  readonly dueAt: number;
  readonly eventId: string;
  readonly employeeId: string;
  /** The full event JSON, re-applied through the normal path when due. */
  readonly event: string;
}

/**
 * What became of one event (every outcome: applied, skipped, scheduled, staged, failed,
 * dead-lettered), beside the employee's record; kept for AUDIT_RETENTION_DAYS. Read back by
 * `npm run history`.
 */
export interface AuditEntry {
  readonly employeeId: string;
  readonly eventId: string;
  /** When the outcome was recorded, epoch ms. */
  readonly at: number;
  readonly outcome: string;
  readonly reason?: string;
  /** The event, as far as it could be read (a malformed one may have none of these). */
  readonly type?: string;
  readonly version?: number;
  readonly effectiveAt?: string;
  /** When the event reached the queue (SQS SentTimestamp), epoch ms. */
  readonly receivedAt?: number;
  /** Which delivery of the message this was (SQS ApproximateReceiveCount). */
  readonly receiveCount?: number;
  /** What brought it here: the queue, the schedule, an operator approval, the roster sync. */
  readonly source?: string;
  /** The changes made in Meeting, in order (e.g. created, adminGranted). */
  readonly changes?: readonly string[];
  /** The Meeting calls it made, e.g. `updateMember zhang.wei` (selectors only, never fields). */
  readonly calls?: readonly string[];
}

/** Another writer changed the record since it was read: re-read and decide again. */
export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
  readonly retryable = true;
}

export interface LifecycleStore {
  getEmployee(employeeId: string): Promise<EmployeeRecord | undefined>;
  /** Many records at once (consistent reads); employees without a record are absent from the map. */
  getEmployees(employeeIds: readonly string[]): Promise<Map<string, EmployeeRecord>>;
  /**
   * Writes the record only if the stored revision still equals `expectedRevision` (undefined: no
   * record may exist yet). Throws StaleWriteError otherwise, so two writers can never both apply
   * competing changes for one employee. The caller sets `record.revision` to expected + 1.
   */
  putEmployee(record: EmployeeRecord, expectedRevision: number | undefined): Promise<void>;
  /**
   * Notes on an existing record that an event is about to change Meeting (`applyingSince`),
   * without changing its revision; the event's putEmployee clears it. No record: nothing to note.
   */
  markApplying(employeeId: string, at: number): Promise<void>;
  /** Employees this system manages that are not deleted. */
  countManaged(): Promise<number>;
  /** Those employees' records, all pages (index reads: may lag a write by a moment). */
  listManaged(): Promise<EmployeeRecord[]>;
  scheduleAction(action: ScheduledAction): Promise<void>;
  listDueActions(now: number): Promise<ScheduledAction[]>;
  completeAction(action: ScheduledAction): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
  /** One employee's audit entries, oldest first (every page). */
  listAudit(employeeId: string): Promise<AuditEntry[]>;
}

/** A disable requested by a termination, waiting to be coalesced into one batch status call. */
export interface PendingDisable {
  readonly employeeId: string;
  readonly account: string;
  /** How `account` addresses the member, when the employee's record says so (EmployeeRecord.accountType). */
  readonly accountType?: SelectorType;
  readonly eventId: string;
  readonly requestedAt: number;
}

/** A pending disable as read from the buffer, with its place there. */
export interface BufferedDisable extends PendingDisable {
  /**
   * Where it sits in the buffer (opaque): pass it back to read on after it, to claim it or to
   * remove it once sent.
   */
  readonly position: string;
}

/** Open circuit breaker: offboarding actions are staged under `stageId` until an operator decides. */
export interface BreakerState {
  readonly stageId: string;
  readonly openedAt: number;
  readonly reason: string;
}

/** A disable or delete held back by the circuit breaker. */
export interface StagedAction {
  readonly stageId: string;
  readonly kind: 'disable' | 'delete';
  readonly employeeId: string;
  /** For a disable: the termination event JSON, re-applied on approval. */
  readonly event?: string;
  readonly stagedAt: number;
}

/**
 * Offboarding state: the buffer of pending disables (coalesced into batch calls), a lease so
 * one flusher runs at a time, and the mass-offboarding circuit breaker with its staged actions.
 */
export interface OffboardingStore {
  /** Buffers a disable for this employee; while one is already pending for them, keeps that one. */
  addPendingDisable(pending: PendingDisable): Promise<void>;
  /**
   * Up to `limit` pending disables, oldest first, after `after` (a position from an earlier call)
   * when given. Reads only the entries it returns, so a lingering flusher that passes the last
   * position it saw reads each entry once. Entries may be stale (cancelled since): claim them.
   */
  peekPendingDisables(limit: number, after?: string): Promise<BufferedDisable[]>;
  /**
   * Those of `candidates` (from peek) that are still pending, to send now; drops stale entries.
   * The caller holds the flush lease, so no cancellation runs meanwhile.
   */
  claimPendingDisables(candidates: readonly BufferedDisable[]): Promise<BufferedDisable[]>;
  /** Removes pending disables that were sent (claimed under the flush lease). */
  removePendingDisables(sent: readonly BufferedDisable[]): Promise<void>;
  /** Cancels one employee's pending disable (a rehire), by employee id; true if there was one. */
  removePendingDisable(employeeId: string): Promise<boolean>;
  /** Which of these employees still have a pending disable (any number of ids). */
  pendingAmong(employeeIds: readonly string[]): Promise<Set<string>>;
  /** Oldest first; at most `limit`. Pages through the buffer: prefer pendingAmong. */
  listPendingDisables(limit: number): Promise<PendingDisable[]>;
  acquireLease(name: string, holder: string, ttlMs: number): Promise<boolean>;
  releaseLease(name: string, holder: string): Promise<void>;
  /** Adds `by` to the counter of `kind` for the window starting at `windowStart`; returns the new total. */
  countOffboarding(
    kind: 'disable' | 'delete',
    windowStart: number,
    by: number,
    expiresAt: number,
  ): Promise<number>;
  getBreaker(): Promise<BreakerState | undefined>;
  /** Opens the breaker unless it is open already; returns the state in force. */
  openBreaker(state: BreakerState): Promise<BreakerState>;
  closeBreaker(stageId: string): Promise<void>;
  stageAction(action: StagedAction): Promise<void>;
  listStagedActions(stageId: string): Promise<StagedAction[]>;
  removeStagedAction(action: StagedAction): Promise<void>;
}
