import type { TimeBudget } from '../shared/clock.js';
import type {
  AccountType,
  AddDepartmentInput,
  AddMemberInput,
  Admin,
  Department,
  DetailIdType,
  Member,
  MemberDetail,
  MemberQuery,
  MemberResult,
  MemberStatus,
  MemberSummary,
  UpdateMemberInput,
} from './schemas.js';

export interface CallOptions {
  /** Propagated as X-Request-Id (e.g. the triggering event's id); generated when absent. */
  readonly requestId?: string;
  /** Aborts the call, in flight or not (a caller that gives up). */
  readonly signal?: AbortSignal;
  /**
   * Time the caller has left (a Lambda invocation): each attempt's timeout is cut to fit in it,
   * and an attempt, or a retry after its backoff, starts only if at least the shortest one
   * (lib/meeting/caller.ts) still fits, so no request outlives the caller; otherwise the call
   * fails with MeetingBudgetError (not sent, or a cut attempt unanswered) or the last error.
   */
  readonly budget?: TimeBudget;
  /** 0 = Meeting account, 1 = third-party (HR) id. Defaults to the client's setting. */
  readonly accountType?: AccountType;
}

export type EnsureMemberOutcome = 'created' | 'adopted' | 'updated';

/** The typed Meeting API surface every function uses (one instance per process). */
export interface MeetingClient {
  /** The created member as answered (every field may be missing). */
  createMember(input: AddMemberInput, options?: CallOptions): Promise<MemberResult>;
  getMember(account: string, options?: CallOptions): Promise<Member>;
  /** Like getMember but `undefined` for not-found. */
  findMember(account: string, options?: CallOptions): Promise<Member | undefined>;
  /** The modified member; read back when the server answers without it (legacy, empty body). */
  updateMember(account: string, input: UpdateMemberInput, options?: CallOptions): Promise<MemberResult>;
  /**
   * Pages through every member, advancing by the items each page returned (a server may cap the
   * page size) until an empty page or offset >= count.
   */
  listMembers(query?: MemberQuery, options?: CallOptions): AsyncIterable<MemberSummary>;
  listAllMembers(query?: MemberQuery, options?: CallOptions): Promise<MemberSummary[]>;
  /**
   * Batch enable (0) / disable (1), chunked. Members already in that status count as done,
   * whether the server answers 200 or an already-done code.
   */
  setMembersStatus(accounts: readonly string[], status: MemberStatus, options?: CallOptions): Promise<void>;
  deleteMember(account: string, options?: CallOptions): Promise<void>;
  /**
   * Batch delete, chunked to the 100-item all-or-nothing limit. Members already gone count as
   * deleted (a chunk refused for an unknown account is retried without the missing ones).
   */
  deleteMembers(accounts: readonly string[], options?: CallOptions): Promise<void>;
  getMembersDetails(
    ids: readonly string[],
    idType: DetailIdType,
    options?: CallOptions,
  ): Promise<MemberDetail[]>;
  /**
   * Create, or adopt an existing member when create reports already-exists and the existing
   * member is ours (same thirdAccount); a mismatched-but-ours member is updated. Throws
   * MemberConflictError when the account belongs to someone else.
   */
  ensureMember(
    input: AddMemberInput & { thirdAccount: string },
    options?: CallOptions,
  ): Promise<{ member: MemberResult; outcome: EnsureMemberOutcome }>;

  listAdmins(query?: { searchKey?: string }, options?: CallOptions): AsyncIterable<Admin>;
  listAllAdmins(query?: { searchKey?: string }, options?: CallOptions): Promise<Admin[]>;
  getAdmin(account: string, options?: CallOptions): Promise<Admin>;
  /** Idempotent: an existing admin counts as granted (200 or an already-done code). */
  addAdmin(account: string, options?: CallOptions): Promise<void>;
  deleteAdmins(accounts: readonly string[], options?: CallOptions): Promise<void>;

  getDepartment(
    deptCode: string,
    options?: CallOptions,
  ): Promise<Department & { deptCode: string; childDepts?: Department[] }>;
  findDepartmentsByName(deptName: string, options?: CallOptions): Promise<Department[]>;
  createDepartment(input: AddDepartmentInput, options?: CallOptions): Promise<string>;
  /** Returns the code of the department, creating it under `parentDeptCode` if missing. */
  ensureDepartment(input: AddDepartmentInput & { deptCode: string }, options?: CallOptions): Promise<string>;
}
