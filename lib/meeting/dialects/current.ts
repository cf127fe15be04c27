import { errorFromHttp } from '../../http/classify.js';
import type { MeetingResponseError } from '../../http/errors.js';
import { parseRetryAfter } from '../../http/retry-after.js';
import type { TransportResponse } from '../../http/transport.js';
import { responseError } from '../../http/wire.js';
import { MEETING_API } from '../api-names.js';
import type { AccountType } from '../schemas.js';
import { departmentRequests } from './department-requests.js';
import type { ApiRequest, Dialect } from './types.js';

const seg = encodeURIComponent;
const DCS = '/v1/usg/dcs';

/** Errors of both dialects when the HTTP status itself is not 2xx. */
export const unwrapHttpError = (api: string, response: TransportResponse, now: number): void => {
  if (response.status >= 200 && response.status < 300) return;
  throw errorFromHttp({
    api,
    status: response.status,
    body: response.body,
    requestId: response.requestId,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), now),
    endpoint: response.endpoint,
  });
};

export const invalidJsonError = (api: string, response: TransportResponse): MeetingResponseError =>
  responseError(api, `(root): HTTP ${response.status} with a body that is not JSON`, response);

/**
 * A batch over accounts: a bare array of them as the body, their type as a query parameter
 * (docs/meeting-api.md §8 D3).
 */
const accountBatch = (
  api: ApiRequest['api'],
  method: ApiRequest['method'],
  path: string,
  accounts: readonly string[],
  accountType: AccountType,
): ApiRequest => ({ api, method, path, query: { accountType }, body: accounts });

/** The current API (docs/meeting-api.md §1-§4): `X-Access-Token`, bare objects, HTTP status errors. */
export const currentDialect: Dialect = {
  name: 'current',
  memberFields: [
    'name',
    'englishName',
    'phone',
    'country',
    'email',
    'deptCode',
    'signature',
    'title',
    'desc',
    'status',
    'sortLevel',
    'hidePhone',
  ],
  authHeaders: (token) => ({ 'X-Access-Token': token }),
  unwrap: (api, response, now) => {
    unwrapHttpError(api, response, now);
    if (response.invalidJson) throw invalidJsonError(api, response);
    return response.body;
  },

  createMember: (body) => ({
    api: MEETING_API.createMember,
    method: 'POST',
    path: `${DCS}/corp/member`,
    body,
  }),
  getMember: (account, accountType) => ({
    api: MEETING_API.getMember,
    method: 'GET',
    path: `${DCS}/corp/member/${seg(account)}`,
    query: { accountType },
  }),
  updateMember: (account, accountType, body) => ({
    api: MEETING_API.updateMember,
    method: 'PUT',
    path: `${DCS}/corp/member/${seg(account)}`,
    query: { accountType },
    body,
  }),
  listMembers: (page, filters) => ({
    api: MEETING_API.listMembers,
    method: 'GET',
    path: `${DCS}/corp/member`,
    query: { ...filters, offset: page.offset, limit: page.limit },
  }),
  // docs/meeting-api.md §8 D3: the status is a path segment.
  setMembersStatus: (accounts, status, accountType) =>
    accountBatch(
      MEETING_API.setMembersStatus,
      'PUT',
      `${DCS}/corp/member/status/${status}`,
      accounts,
      accountType,
    ),
  deleteMembers: (accounts, accountType) =>
    accountBatch(MEETING_API.deleteMembers, 'POST', `${DCS}/corp/member/delete`, accounts, accountType),
  getMembersDetails: (ids, idType) => ({
    api: MEETING_API.getMembersDetails,
    method: 'POST',
    path: '/v1/usg/abs/users/list',
    query: { idType },
    body: ids.map((id) => ({ id })),
  }),
  listAdmins: (page, filters) => ({
    api: MEETING_API.listAdmins,
    method: 'GET',
    path: `${DCS}/corp/admin`,
    query: { searchKey: filters.searchKey, offset: page.offset, limit: page.limit },
  }),
  getAdmin: (account, accountType) => ({
    api: MEETING_API.getAdmin,
    method: 'GET',
    path: `${DCS}/corp/admin/${seg(account)}`,
    query: { accountType },
  }),
  addAdmin: (account, accountType) => ({
    api: MEETING_API.addAdmin,
    method: 'POST',
    path: `${DCS}/corp/admin`,
    query: { accountType },
    body: { account },
  }),
  deleteAdmins: (accounts, accountType) =>
    accountBatch(MEETING_API.deleteAdmins, 'POST', `${DCS}/corp/admin/delete`, accounts, accountType),
  ...departmentRequests(DCS),
};
