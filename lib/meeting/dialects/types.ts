import type { ApiDialect } from '../../config/index.js';
import type { HttpMethod, TransportResponse } from '../../http/transport.js';
import type { MeetingApi } from '../api-names.js';
import type { AccountType, DetailIdType, MemberStatus } from '../schemas.js';

/** Member fields both readable and modifiable (what ensureMember compares and updates). */
export type MemberField =
  | 'name'
  | 'englishName'
  | 'phone'
  | 'country'
  | 'email'
  | 'deptCode'
  | 'signature'
  | 'title'
  | 'desc'
  | 'status'
  | 'sortLevel'
  | 'hidePhone';

export type QueryValue = string | number | boolean | undefined;

/** One logical call mapped onto HTTP by a dialect (path already URL-encoded). */
export interface ApiRequest {
  readonly api: MeetingApi;
  readonly method: HttpMethod;
  readonly path: string;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
}

export interface PageWindow {
  readonly offset: number;
  readonly limit: number;
}

/** Paged-search filters after validation (memberQuerySchema minus limit). */
export interface MemberFilters {
  readonly searchKey?: string;
  readonly deptCode?: string;
  readonly status?: number;
  readonly adminType?: number;
  readonly sortField?: string;
  readonly isAsc?: boolean;
}

/**
 * Maps each logical API to method, path, headers and body, and unwraps the answer: the
 * current API signals errors by HTTP status + error body, the legacy one by a returnCode
 * envelope. A builder throws a permanent MeetingError (nothing sent) for what the dialect
 * cannot express.
 */
export interface Dialect {
  readonly name: ApiDialect;
  /** Member fields this dialect returns and can modify. */
  readonly memberFields: readonly MemberField[];
  /** Headers carrying the access token. */
  authHeaders(token: string): Record<string, string>;
  /** The payload of a successful answer, or throws a classified MeetingError. */
  unwrap(api: MeetingApi, response: TransportResponse, now: number): unknown;

  createMember(body: Record<string, unknown>): ApiRequest;
  getMember(account: string, accountType: AccountType): ApiRequest;
  updateMember(account: string, accountType: AccountType, body: Record<string, unknown>): ApiRequest;
  listMembers(page: PageWindow, filters: MemberFilters): ApiRequest;
  setMembersStatus(accounts: readonly string[], status: MemberStatus, accountType: AccountType): ApiRequest;
  deleteMembers(accounts: readonly string[], accountType: AccountType): ApiRequest;
  getMembersDetails(ids: readonly string[], idType: DetailIdType): ApiRequest;
  listAdmins(page: PageWindow, filters: { searchKey?: string }): ApiRequest;
  getAdmin(account: string, accountType: AccountType): ApiRequest;
  addAdmin(account: string, accountType: AccountType): ApiRequest;
  deleteAdmins(accounts: readonly string[], accountType: AccountType): ApiRequest;
  getDepartment(deptCode: string): ApiRequest;
  findDepartmentsByName(deptName: string): ApiRequest;
  createDepartment(body: Record<string, unknown>): ApiRequest;
}
