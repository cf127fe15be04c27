import { errorFromLegacyEnvelope } from '../../http/classify.js';
import { ERROR_KIND, MeetingError } from '../../http/errors.js';
import { LEGACY_SUCCESS, legacyEnvelopeSchema } from '../../http/legacy-envelope.js';
import { responseError, withoutNulls } from '../../http/wire.js';
import { MEETING_API, type MeetingApi } from '../api-names.js';
import { ACCOUNT_TYPE, type AccountType } from '../schemas.js';
import { invalidJsonError, unwrapHttpError } from './current.js';
import { departmentRequests } from './department-requests.js';
import type { Dialect } from './types.js';

const seg = encodeURIComponent;
const DC = '/rest/usg/datacenter/v1';

// Fields each legacy body knows (docs/meeting-api.md §7, seeds 002/004): no thirdAccount, title, desc.
const LEGACY_ADD_FIELDS = [
  'name',
  'englishName',
  'account',
  'phone',
  'country',
  'pwd',
  'email',
  'vmrId',
  'deptCode',
  'signature',
  'status',
  'sendNotify',
  'sortLevel',
  'hidePhone',
] as const;
const LEGACY_MODIFY_FIELDS = [
  'name',
  'phone',
  'country',
  'email',
  'vmrId',
  'deptCode',
  'signature',
  'status',
] as const;

const pick = (body: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> =>
  Object.fromEntries(fields.filter((f) => body[f] !== undefined).map((f) => [f, body[f]]));

const unsupported = (api: MeetingApi, what = 'is not available'): MeetingError =>
  new MeetingError(`${api} ${what} in the legacy dialect`, { kind: ERROR_KIND.permanent, api });

/** Legacy has no third-party ids: every selector is the Meeting account. */
const meetingAccountOnly = (api: MeetingApi, accountType: AccountType): void => {
  if (accountType !== ACCOUNT_TYPE.meetingAccount)
    throw unsupported(api, 'with accountType 1 (thirdAccount) is not available');
};

/**
 * The 2019 "datacenter" API (docs/meeting-api.md §7): `Authorization: Basic base64(token)`, always
 * HTTP 200 with a returnCode envelope whose codes are the current error codes' digits.
 */
export const legacyDialect: Dialect = {
  name: 'legacy',
  // What the legacy modify accepts and its user object returns (docs/meeting-api.md §7).
  memberFields: ['name', 'phone', 'country', 'email', 'deptCode', 'signature', 'status'],
  authHeaders: (token) => ({ Authorization: `Basic ${Buffer.from(token, 'utf8').toString('base64')}` }),
  unwrap: (api, response, now) => {
    unwrapHttpError(api, response, now);
    if (response.invalidJson) throw invalidJsonError(api, response);
    const envelope = legacyEnvelopeSchema.safeParse(withoutNulls(response.body));
    if (!envelope.success) {
      throw responseError(api, 'returnCode: the legacy envelope is missing', response);
    }
    const { returnCode, returnMessage, requestId, data } = envelope.data;
    const code = String(returnCode);
    if (code !== LEGACY_SUCCESS) {
      throw errorFromLegacyEnvelope(
        api,
        code,
        returnMessage,
        requestId ?? response.requestId,
        response.status,
        response.endpoint,
      );
    }
    return data;
  },

  createMember: (body) => ({
    api: MEETING_API.createMember,
    method: 'POST',
    path: `${DC}/corp/member`,
    body: pick(body, LEGACY_ADD_FIELDS),
  }),
  getMember: (account, accountType) => {
    meetingAccountOnly(MEETING_API.getMember, accountType);
    return { api: MEETING_API.getMember, method: 'GET', path: `${DC}/corp/member/${seg(account)}` };
  },
  updateMember: (account, accountType, body) => {
    meetingAccountOnly(MEETING_API.updateMember, accountType);
    return {
      api: MEETING_API.updateMember,
      method: 'PUT',
      path: `${DC}/corp/member/${seg(account)}`,
      body: pick(body, LEGACY_MODIFY_FIELDS),
    };
  },
  listMembers: (page, filters) => {
    const { searchKey, status, deptCode, ...rest } = filters;
    // Silently dropping a filter would make a partial listing look complete.
    const extra = Object.entries(rest).filter(([, v]) => v !== undefined);
    if (extra.length > 0) {
      throw unsupported(
        MEETING_API.listMembers,
        `filter ${extra.map(([k]) => k).join(', ')} is not available`,
      );
    }
    return {
      api: MEETING_API.listMembers,
      method: 'POST',
      path: `${DC}/corp/member/search`,
      body: { offset: page.offset, limit: page.limit, searchKey: searchKey ?? '', status, deptCode },
    };
  },
  setMembersStatus: (accounts, status, accountType) => {
    meetingAccountOnly(MEETING_API.setMembersStatus, accountType);
    return {
      api: MEETING_API.setMembersStatus,
      method: 'PUT',
      path: `${DC}/corp/member/status/${status}`,
      body: accounts,
    };
  },
  deleteMembers: (accounts, accountType) => {
    meetingAccountOnly(MEETING_API.deleteMembers, accountType);
    return {
      api: MEETING_API.deleteMembers,
      method: 'POST',
      path: `${DC}/corp/member/delete`,
      body: accounts,
    };
  },
  getMembersDetails: () => {
    throw unsupported(MEETING_API.getMembersDetails);
  },
  listAdmins: (page, filters) => ({
    api: MEETING_API.listAdmins,
    method: 'POST',
    path: `${DC}/corp/admin/search`,
    body: { offset: page.offset, limit: page.limit, searchKey: filters.searchKey ?? '' },
  }),
  // Not in the seeds; mirrors the current path under the datacenter prefix (as the simulator does).
  getAdmin: (account, accountType) => {
    meetingAccountOnly(MEETING_API.getAdmin, accountType);
    return { api: MEETING_API.getAdmin, method: 'GET', path: `${DC}/corp/admin/${seg(account)}` };
  },
  addAdmin: (account, accountType) => {
    meetingAccountOnly(MEETING_API.addAdmin, accountType);
    return { api: MEETING_API.addAdmin, method: 'POST', path: `${DC}/corp/admin`, body: { account } };
  },
  deleteAdmins: (accounts, accountType) => {
    meetingAccountOnly(MEETING_API.deleteAdmins, accountType);
    return { api: MEETING_API.deleteAdmins, method: 'POST', path: `${DC}/corp/admin/delete`, body: accounts };
  },
  ...departmentRequests(DC),
};
