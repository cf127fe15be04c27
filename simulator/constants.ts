import { MEETING_API } from '../lib/meeting/api-names.js';

/** Demo enterprise the simulator serves. Printing these is fine: they only open a local demo. */
export const DEMO_CREDENTIALS = {
  account: 'admin@demo',
  password: 'Demo#Passw0rd-1',
  appId: 'demo-app-id',
  appKey: 'demo-app-key-0123456789abcdef',
} as const;

export const DEMO_CORP = { id: 'demo-corp', name: 'Demo Corp', adminName: 'Demo Admin' } as const;

/**
 * Accounts "taken by another enterprise": accounts are unique across the whole system
 * (docs/meeting-api.md §2.0, §8 D18), so adding one answers USG.201040001 although no member of
 * ours has it. Lets client tests exercise the "already exists but not ours" path.
 */
export const FOREIGN_ACCOUNTS: readonly string[] = ['taken@other', 'zhangsan@huawei'];

/**
 * Logical API names (counters, `faults.apis`): the client's own table plus the calls only the
 * simulator serves. Sharing the table keeps the simulator independent of the client it tests:
 * it holds names only, no wire paths and no behaviour (routes.ts maps the paths on its own).
 */
export const API = {
  ...MEETING_API,
  refreshToken: 'refreshToken',
  validateToken: 'validateToken',
  logout: 'logout',
  updateDepartment: 'updateDepartment',
  deleteDepartment: 'deleteDepartment',
} as const;
export type ApiName = (typeof API)[keyof typeof API];

export const API_NAMES: readonly ApiName[] = Object.values(API);

/** Token endpoints: not business calls, and faults skip them unless named in `faults.apis`. */
export const AUTH_APIS: ReadonlySet<string> = new Set<ApiName>([
  API.authAccount,
  API.authAppId,
  API.authLegacy,
  API.refreshToken,
  API.validateToken,
  API.logout,
]);

/**
 * Error codes. Confirmed by public evidence: USG.000000004, USG.201040000, USG.201040001
 * (docs/meeting-api.md §5.2). Every other code is the simulator's own choice, because the real
 * ones are [UNCONFIRMED]; clients must branch on HTTP status first and only on these three.
 */
export const ERROR_CODE = {
  /** Parameter invalid (length/format/missing). Real code unconfirmed; simulator constant. */
  paramInvalid: 'USG.000000001',
  /** Caller's token is valid but lacks the admin role (403). Simulator constant. */
  noPermission: 'USG.000000003',
  tokenInvalid: 'USG.000000004',
  userNotFound: 'USG.201040000',
  alreadyExists: 'USG.201040001',
  /** Default admin cannot be deleted / disabled / demoted. Simulator constant. */
  defaultAdminProtected: 'USG.201040002',
  /** Member still holds the admin role; revoke it before deleting (docs/meeting-api.md §2.11 order). Simulator constant. */
  memberIsAdmin: 'USG.201040003',
  /**
   * alreadyDone 'code' answers. 201040006 "not an ordinary enterprise member" is listed in
   * Huawei's legacy error table (which API returns it is unknown); the status code is the
   * simulator's own: Huawei documents no already-done code for either (docs/meeting-api.md §5.2).
   */
  notPlainMember: 'USG.201040006',
  /** alreadyDone 'code': revoking the role of a non-admin. Simulator constant (none documented). */
  notAdmin: 'USG.201040007',
  statusUnchanged: 'USG.201040020',
  deptNotFound: 'USG.201050000',
  deptAlreadyExists: 'USG.201050001',
  /** 100 children / 10 levels / 10 000 departments. Simulator constant. */
  deptLimit: 'USG.201050002',
  /** Department still has sub-departments or members (behaviour unconfirmed). Simulator constant. */
  deptNotEmpty: 'USG.201050003',
  deptRootProtected: 'USG.201050004',
  /** Client-SDK login codes (docs/meeting-api.md §5.2) prefixed with USG.; mapping unconfirmed. */
  wrongCredentials: 'USG.206010000',
  appIdAuthFailed: 'USG.206010025',
  appIdAuthExpired: 'USG.206010057',
  accountDisabled: 'USG.412100015',
  /** Huawei API Gateway's flow-control code, used for every 429. */
  throttled: 'APIG.0308',
  /** Huawei API Gateway's "API not found". */
  notFound: 'APIG.0101',
  serverError: 'USG.000000500',
  badGateway: 'USG.000000502',
  unavailable: 'USG.000000503',
} as const;

export const LIMITS = {
  pageDefault: 10,
  pageMax: 500,
  batchDeleteMax: 100,
  adminDeleteMax: 100,
  batchDetailsMax: 200,
  deptChildren: 100,
  /** Levels below the root department "1" (root is level 0). */
  deptLevels: 10,
  deptTotal: 10_000,
  nonceMin: 32,
  nonceMax: 64,
  bodyBytes: 1_048_576,
} as const;

export const ROOT_DEPT = '1';
export const API_CLIENT_TYPE = 72;
export const REFRESH_VALID_SECONDS = 2_592_000;
export const LEGACY_SUCCESS = '000000000';
