/** Lifecycle status of one employee's Meeting member, as this system last left it. */
export const EMPLOYEE_STATUS = { active: 'active', disabled: 'disabled', deleted: 'deleted' } as const;
export type EmployeeStatus = (typeof EMPLOYEE_STATUS)[keyof typeof EMPLOYEE_STATUS];

/** Per-employee lifecycle record (the only members cleanup may ever touch are those with one). */
export interface EmployeeRecord {
  readonly employeeId: string;
  /** Identifier used on Meeting calls (Meeting account, or the HR id when accountType=1). */
  readonly account: string;
  readonly memberId?: string;
  readonly status: EmployeeStatus;
  /** HR-side version of the last applied event; older events are skipped. */
  readonly lastVersion: number;
  readonly lastEventId: string;
  /**
   * Version of the last applied status decision (hire, rehire, termination). A scheduled
   * (effective-dated) event that comes due is skipped only if a newer status decision exists.
   */
  readonly statusVersion?: number;
  /** Epoch ms when the member was disabled (offboarding); cleanup deletes after retention. */
  readonly disabledAt?: number;
  readonly deletedAt?: number;
  readonly isAdmin: boolean;
  readonly updatedAt: number;
  /** The member fields last applied, so reconciliation can put back a write that landed late. */
  readonly profile?: MemberProfile;
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

/** Audit entry for events that were skipped (stale) or rejected; kept with a TTL. */
export interface AuditEntry {
  readonly employeeId: string;
  readonly eventId: string;
  readonly at: number;
  readonly outcome: string;
  readonly reason?: string;
}

export class StaleWriteError extends Error {
  override readonly name = 'StaleWriteError';
}

export interface LifecycleStore {
  getEmployee(employeeId: string): Promise<EmployeeRecord | undefined>;
  /**
   * Writes the record only if the stored lastVersion still equals `expectedVersion`
   * (undefined = record must not exist). Throws StaleWriteError otherwise, so two workers
   * can never both apply competing events for one employee.
   */
  putEmployee(record: EmployeeRecord, expectedVersion: number | undefined): Promise<void>;
  /** Disabled employees whose disabledAt is before `cutoff` (epoch ms), all pages. */
  listDisabledBefore(cutoff: number): Promise<EmployeeRecord[]>;
  /** Employees this system manages that are not deleted. */
  countManaged(): Promise<number>;
  /** Those employees' records, all pages (index reads: may lag a write by a moment). */
  listManaged(): Promise<EmployeeRecord[]>;
  scheduleAction(action: ScheduledAction): Promise<void>;
  listDueActions(now: number): Promise<ScheduledAction[]>;
  completeAction(action: ScheduledAction): Promise<void>;
  audit(entry: AuditEntry): Promise<void>;
}

/** A disable requested by a termination, waiting to be coalesced into one batch status call. */
export interface PendingDisable {
  readonly employeeId: string;
  readonly account: string;
  readonly eventId: string;
  readonly requestedAt: number;
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
  addPendingDisable(pending: PendingDisable): Promise<void>;
  /** Oldest first; at most `limit`. */
  listPendingDisables(limit: number): Promise<PendingDisable[]>;
  removePendingDisable(employeeId: string): Promise<boolean>;
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
