import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { parseMeetingConfig } from '../../lib/config/index.js';
import { MeetingError } from '../../lib/http/errors.js';
import type { MeetingClient } from '../../lib/meeting/types.js';
import { expectAuthError, rejectionOf } from '../helpers/errors.js';
import { type CorpusEntry, entry } from './corpus.js';
import { type StubRoute, type StubServer, startStubServer } from './stub-server.js';

/**
 * The whole client (login, token reuse, dialect, retry, parsing) against a stub server that
 * answers the corpus examples exactly as documented.
 */

const APP_KEY = 'app-key-0123456789abcdef0123456789';
const noSleep = async () => {};

const clientFor = (stub: StubServer, env: Record<string, string>): MeetingClient =>
  connectMeeting({
    config: parseMeetingConfig({ MEETING_ENDPOINT: stub.url, MEETING_MAX_ATTEMPTS: '1', ...env }),
    sleep: noSleep,
  });
const ACCOUNT = { MEETING_ACCOUNT: 'admin@corp', MEETING_PASSWORD: 'Passw0rd#1' };
const APP_ID = { MEETING_APP_ID: 'app-0001', MEETING_APP_KEY: APP_KEY };

const DCS = '/v1/usg/dcs';
/** Answers per route that a test may swap (an error instead of the success example). */
const answers = new Map<string, CorpusEntry | ((n: number) => CorpusEntry)>();
const calls = new Map<string, number>();
const answer = (key: string, fallback: string) => () => {
  const n = (calls.get(key) ?? 0) + 1;
  calls.set(key, n);
  const chosen = answers.get(key);
  return typeof chosen === 'function' ? chosen(n) : (chosen ?? entry(fallback));
};

const ROUTES: StubRoute[] = [
  { method: 'POST', path: '/v1/usg/acs/auth/account', reply: answer('login', 'login.account.response') },
  { method: 'POST', path: '/v2/usg/acs/auth/appauth', reply: answer('appauth', 'login.appId.response') },
  {
    method: 'PUT',
    path: '/rest/usg/sso/v1/auth/account',
    reply: answer('legacyLogin', 'legacy-login.account.response'),
  },
  {
    method: 'GET',
    path: `${DCS}/corp/member`,
    reply: (r) =>
      entry(r.query.get('offset') === '0' ? 'listMembers.page1.response' : 'listMembers.page2.response'),
  },
  {
    method: 'PUT',
    path: /^\/v1\/usg\/dcs\/corp\/member\/status\/[01]$/,
    reply: answer('status', 'setMembersStatus.response'),
  },
  { method: 'POST', path: `${DCS}/corp/member/delete`, reply: answer('delete', 'deleteMembers.response') },
  {
    method: 'GET',
    path: /^\/v1\/usg\/dcs\/corp\/member\/[^/]+$/,
    reply: answer('get', 'seed003-getMember.response'),
  },
  { method: 'POST', path: `${DCS}/corp/member`, reply: answer('create', 'createMember.response') },
  {
    method: 'PUT',
    path: /^\/v1\/usg\/dcs\/corp\/member\/[^/]+$/,
    reply: answer('update', 'updateMember.response'),
  },
  { method: 'POST', path: '/v1/usg/abs/users/list', reply: entry('getMembersDetails.response') },
  { method: 'GET', path: `${DCS}/corp/admin`, reply: entry('listAdmins.response') },
  { method: 'GET', path: /^\/v1\/usg\/dcs\/corp\/admin\/[^/]+$/, reply: entry('getAdmin.response') },
  { method: 'POST', path: `${DCS}/corp/admin`, reply: entry('addAdmin.response') },
  { method: 'POST', path: `${DCS}/corp/admin/delete`, reply: entry('deleteAdmins.response') },
  { method: 'GET', path: `${DCS}/member/dept/1`, reply: entry('getDeptAndChildren.root.response') },
  {
    method: 'GET',
    path: /^\/v1\/usg\/dcs\/member\/dept\/[^/]+$/,
    reply: entry('getDeptAndChildren.child.response'),
  },
  { method: 'GET', path: `${DCS}/member/dept`, reply: entry('findDepartmentsByName.response') },
  { method: 'POST', path: `${DCS}/corp/dept`, reply: entry('createDepartment.response') },
  // Legacy (docs/meeting-api.md §7): the add-user example, the modify example, and (no detail example exists) the
  // add answer's user object for a read.
  {
    method: 'POST',
    path: '/rest/usg/datacenter/v1/corp/member',
    reply: answer('legacyCreate', 'seed002-legacy-createMember.response'),
  },
  {
    method: 'PUT',
    path: /^\/rest\/usg\/datacenter\/v1\/corp\/member\/[^/]+$/,
    reply: entry('seed004-legacy-updateMember.response'),
  },
  {
    method: 'GET',
    path: /^\/rest\/usg\/datacenter\/v1\/corp\/member\/[^/]+$/,
    reply: answer('legacyGet', 'seed002-legacy-createMember.response'),
  },
];

let stub: StubServer;
beforeAll(async () => {
  stub = await startStubServer(ROUTES);
});
afterAll(() => stub.close());
afterEach(() => {
  stub.requests.length = 0;
  answers.clear();
  calls.clear();
});

describe('account login and every member, admin and department call', () => {
  it('members: detail (seed 003), paged listing, create, update, status and delete batches, batch details', async () => {
    const meeting = clientFor(stub, ACCOUNT);
    expect(await meeting.getMember('3e48b79b660e403cb5e0208f7be83961')).toMatchObject({
      userAccount: '3e48b79b660e403cb5e0208f7be83961',
      status: 1,
      thirdAccount: 'thirdAccount',
    });
    const all = await meeting.listAllMembers();
    expect(all.map((m) => m.userAccount)).toEqual([
      'ana.souza@corp',
      'bruno.lima@corp',
      'carla.reis@corp',
      'gabriel.alves@corp',
      'helena.dias@corp',
    ]);
    // The server served 3 of the 500 asked for: the next page starts at 3, not 500.
    expect(
      stub
        .sent('GET', `${DCS}/corp/member`)
        .filter((r) => r.path === `${DCS}/corp/member`)
        .map((r) => [r.query.get('offset'), r.query.get('limit')]),
    ).toEqual([
      ['0', '500'],
      ['3', '500'],
    ]);
    const created = await meeting.createMember({
      name: 'Ana Souza',
      account: 'ana.souza@corp',
      email: 'ana@corp.example',
      deptCode: 'D-SALES',
    });
    expect(created).toMatchObject({ userAccount: 'ana.souza@corp', status: 0, vmrList: [{ status: 0 }] });
    expect(
      await meeting.updateMember('ana.souza@corp', { name: 'Ana Souza', title: 'Senior Analyst' }),
    ).toMatchObject({
      title: 'Senior Analyst',
      status: 1,
    });
    await meeting.setMembersStatus(['ana.souza@corp', 'bruno.lima@corp'], 1);
    await meeting.deleteMembers(['ana.souza@corp']);
    expect(stub.sent('PUT', `${DCS}/corp/member/status/1`)[0]?.body).toEqual([
      'ana.souza@corp',
      'bruno.lima@corp',
    ]);
    const details = await meeting.getMembersDetails(['HR-004711'], 'THIRD_ACCOUNT');
    expect(details.map((d) => d.statusCode)).toEqual([0, 1, 2, 3, undefined, 2]);
    // One login for everything; every call carried that token.
    expect(stub.sent('POST', '/v1/usg/acs/auth/account')).toHaveLength(1);
    const business = stub.requests.filter((r) => !r.path.includes('/auth/'));
    expect(new Set(business.map((r) => r.headers['x-access-token']))).toEqual(new Set(['tok-account-0001']));
  });

  it('admins and departments: paged admins, one admin, grant, revoke, department tree, search, create', async () => {
    const meeting = clientFor(stub, ACCOUNT);
    expect((await meeting.listAllAdmins()).map((a) => [a.account, a.adminType])).toEqual([
      ['admin@corp', 0],
      ['bruno.lima@corp', 1],
    ]);
    expect(await meeting.getAdmin('bruno.lima@corp')).toMatchObject({ adminType: 1 });
    await meeting.addAdmin('bruno.lima@corp');
    await meeting.deleteAdmins(['bruno.lima@corp']);
    const root = await meeting.getDepartment('1');
    expect(root).toMatchObject({ deptCode: '1', deptName: 'Root Department' });
    expect(root.parentDeptCode).toBeUndefined();
    expect(root.childDepts?.map((d) => d.deptCode)).toEqual(['D-SALES', 'D-MKT']);
    expect((await meeting.findDepartmentsByName('Sales')).map((d) => d.deptCode)).toEqual([
      'D-SALES',
      'D-LATAM-SALES',
    ]);
    expect(await meeting.createDepartment({ deptCode: 'D-SALES', deptName: 'Sales' })).toBe('D-SALES');
    expect(await meeting.ensureDepartment({ deptCode: 'D-SALES', deptName: 'Sales' })).toBe('D-SALES');
  });
});

describe('App ID login', () => {
  it('sends access= and X-Token-Type, reads the documented token object, then addresses members by HR id', async () => {
    const meeting = clientFor(stub, APP_ID);
    expect(await meeting.getMember('thirdAccount')).toMatchObject({ thirdAccount: 'thirdAccount' });
    const [login] = stub.sent('POST', '/v2/usg/acs/auth/appauth');
    expect(login?.headers).toMatchObject({
      'x-token-type': 'LongTicket',
      authorization: expect.stringMatching(/^HMAC-SHA256 signature=[0-9a-f]{64},access=YXBwLTAwMDE=$/),
    });
    expect(login?.body).toMatchObject({ appId: 'app-0001', clientType: 72, nonce: expect.any(String) });
    const [get] = stub.sent('GET', `${DCS}/corp/member/`);
    expect([get?.query.get('accountType'), get?.headers['x-access-token']]).toEqual(['1', 'tok-appid-0001']);
  });
});

describe('legacy dialect', () => {
  it('logs in with clientType 0, adds (seed 002) and modifies (seed 004, read back) in envelopes', async () => {
    const meeting = clientFor(stub, { ...ACCOUNT, MEETING_API_DIALECT: 'legacy' });
    expect(
      await meeting.createMember({ name: 'test010', account: 'test010', email: 'test010@huawei.com' }),
    ).toMatchObject({
      userAccount: 'test010',
      status: 0,
    });
    expect(await meeting.updateMember('test010', { name: 'modify001', deptCode: '1' })).toMatchObject({
      userAccount: 'test010',
    });
    expect(stub.sent('PUT', '/rest/usg/sso/v1/auth/account')[0]?.body).toMatchObject({ clientType: 0 });
    const token = Buffer.from('tok-legacy-0001').toString('base64');
    const business = stub.requests.filter((r) => r.path.startsWith('/rest/usg/datacenter'));
    expect(business.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /rest/usg/datacenter/v1/corp/member',
      'PUT /rest/usg/datacenter/v1/corp/member/test010',
      'GET /rest/usg/datacenter/v1/corp/member/test010',
    ]);
    expect(business.every((r) => r.headers.authorization === `Basic ${token}`)).toBe(true);
  });

  it('a legacy token refused with a "not logged in" returnCode (a number here) logs in again once', async () => {
    const meeting = clientFor(stub, { ...ACCOUNT, MEETING_API_DIALECT: 'legacy' });
    answers.set('legacyGet', (n) =>
      n === 1 ? entry('error.legacy-tokenExpired') : entry('seed002-legacy-createMember.response'),
    );
    expect(await meeting.getMember('test010')).toMatchObject({ userAccount: 'test010' });
    expect(stub.sent('PUT', '/rest/usg/sso/v1/auth/account')).toHaveLength(2);
  });

  it('a legacy already-exists envelope is the alreadyExists kind', async () => {
    const meeting = clientFor(stub, { ...ACCOUNT, MEETING_API_DIALECT: 'legacy' });
    answers.set('legacyCreate', entry('error.legacy-exists'));
    expect(
      await rejectionOf(meeting.createMember({ name: 'x', account: 'test010', email: 'x@corp.example' })),
    ).toMatchObject({
      kind: 'alreadyExists',
      errorCode: '201040001',
      requestId: 'err-legacy-exists',
    });
  });
});

describe('documented error bodies through the client', () => {
  it.each([
    'error.getMember-notFound',
    'error.variant-camelCase',
    'error.variant-codeMessage',
    'error.variant-nested',
  ])('%s: findMember answers undefined', async (name) => {
    const meeting = clientFor(stub, ACCOUNT);
    answers.set('get', entry(name));
    expect(await meeting.findMember('nobody')).toBeUndefined();
  });

  it('a refused login: MeetingAuthError with code, message, request id and endpoint', async () => {
    const meeting = clientFor(stub, ACCOUNT);
    answers.set('login', entry('error.login-badPassword'));
    const error = await rejectionOf(meeting.getMember('x'));
    expectAuthError(error, {
      api: 'authAccount',
      status: 401,
      errorCode: 'USG.206010000',
      errorMsg: 'Incorrect account or password.',
      requestId: 'err-login-badPassword',
      endpoint: stub.url,
    });
  });

  it('a token refused with USG.000000004 logs in again once and the call succeeds', async () => {
    const meeting = clientFor(stub, ACCOUNT);
    answers.set('get', (n) => (n === 1 ? entry('error.token-invalid') : entry('seed003-getMember.response')));
    expect(await meeting.getMember('x')).toMatchObject({ status: 1 });
    expect(stub.sent('POST', '/v1/usg/acs/auth/account')).toHaveLength(2);
  });

  it('already exists, and a gateway page that is not JSON', async () => {
    const meeting = clientFor(stub, ACCOUNT);
    answers.set('create', entry('error.createMember-exists'));
    expect(
      await rejectionOf(meeting.createMember({ name: 'x', account: 'x1', email: 'x@corp.example' })),
    ).toMatchObject({
      kind: 'alreadyExists',
    });
    answers.set('get', entry('error.gateway-nonJson'));
    const error = await rejectionOf(meeting.getMember('x'));
    expect(error).toBeInstanceOf(MeetingError);
    expect(error).toMatchObject({ kind: 'retryable', status: 502 });
  });

  it('already-done answers: a status or delete batch refused with a business code counts as done when the read-back agrees', async () => {
    const meeting = clientFor(stub, ACCOUNT);
    // seed 003 reads back status 1: the member is disabled already.
    answers.set('status', entry('error.createMember-exists'));
    await meeting.setMembersStatus(['3e48b79b660e403cb5e0208f7be83961'], 1);
    // ... but not enabled: that refusal stands.
    expect(
      await rejectionOf(meeting.setMembersStatus(['3e48b79b660e403cb5e0208f7be83961'], 0)),
    ).toMatchObject({
      kind: 'alreadyExists',
    });
    // A delete refused as "user does not exist", and the user indeed does not exist: done.
    answers.set('delete', entry('error.getMember-notFound'));
    answers.set('get', entry('error.getMember-notFound'));
    await meeting.deleteMembers(['gone@corp']);
  });
});
