import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildLoginRequest } from '../../lib/auth/login-request.js';
import { toCachedToken } from '../../lib/auth/token-expiry.js';
import { tokenResponseSchema } from '../../lib/auth/token-response.js';
import { errorFromHttp, isTokenRejected } from '../../lib/http/classify.js';
import { MeetingError, MeetingResponseError } from '../../lib/http/errors.js';
import type { TransportResponse } from '../../lib/http/transport.js';
import { parseResponse } from '../../lib/http/wire.js';
import { currentDialect, legacyDialect } from '../../lib/meeting/dialects/index.js';
import {
  addMemberSchema,
  adminPageSchema,
  adminSchema,
  createdDepartmentSchema,
  departmentListSchema,
  departmentWithChildrenSchema,
  memberDetailsSchema,
  memberPageSchema,
  memberResultSchema,
  memberSchema,
  updateMemberSchema,
} from '../../lib/meeting/schemas.js';
import { validateRequest } from '../../lib/meeting/validate.js';
import { Secret } from '../../lib/shared/secret.js';
import { expectAuthError, thrownBy } from '../helpers/errors.js';
import { bodyOf, type CorpusEntry, corpus, entry, requestIdOf } from './corpus.js';

/** Each documented answer goes through the dialect's unwrap and the API's schema, as it is. */

const ENDPOINT = 'https://api.meeting.huaweicloud.com';

const SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  authAccount: tokenResponseSchema,
  authAppId: tokenResponseSchema,
  authLegacy: tokenResponseSchema,
  getMember: memberSchema,
  createMember: memberResultSchema,
  updateMember: memberResultSchema,
  listMembers: memberPageSchema,
  getMembersDetails: memberDetailsSchema,
  listAdmins: adminPageSchema,
  getAdmin: adminSchema,
  getDeptAndChildren: departmentWithChildrenSchema,
  findDepartmentsByName: departmentListSchema,
  createDepartment: createdDepartmentSchema,
};

const asResponse = (e: CorpusEntry, body: unknown = e.body): TransportResponse => ({
  status: e.status ?? 200,
  headers: new Headers(e.headers),
  body,
  invalidJson: e.rawBody !== undefined,
  requestId: requestIdOf(e) ?? 'no-request-id',
  durationMs: 0,
  endpoint: ENDPOINT,
});

const dialectOf = (e: CorpusEntry) => (e.dialect === 'legacy' ? legacyDialect : currentDialect);

/** What our client reads from a documented answer: unwrap, then the API's tolerant schema. */
const read = (e: CorpusEntry, body: unknown = e.body) => {
  const payload = dialectOf(e).unwrap(e.api as never, asResponse(e, body), 0);
  const schema = SCHEMAS[e.api];
  return schema && payload !== undefined
    ? parseResponse(e.api, schema, payload, { requestId: requestIdOf(e), endpoint: ENDPOINT })
    : payload;
};

describe('every documented answer parses as it is', () => {
  it('the corpus holds the seeds verbatim and the model-derived examples', () => {
    expect(corpus.filter((e) => e.origin === 'verbatim').map((e) => e.name)).toEqual([
      'seed002-legacy-createMember.request',
      'seed002-legacy-createMember.response',
      'seed003-getMember.response',
      'seed004-legacy-updateMember.request',
      'seed004-legacy-updateMember.response',
    ]);
    expect(corpus.length).toBeGreaterThan(30);
  });

  it.each(corpus.filter((e) => e.kind === 'response').map((e) => [e.name, e] as const))('%s', (_, e) => {
    expect(() => read(e)).not.toThrow();
  });
});

describe('what we act on, read from the documents', () => {
  it('user details (seed 003): nulls are absent, unknown fields kept, vmrList status "0" accepted', () => {
    const member = read(entry('seed003-getMember.response')) as z.infer<typeof memberSchema>;
    expect(member).toMatchObject({
      userAccount: '3e48b79b660e403cb5e0208f7be83961',
      thirdAccount: 'thirdAccount',
      status: 1,
      adminType: 2,
      hidePhone: true,
      email: 'modEmail@huawei.com',
      vmrList: [expect.objectContaining({ status: '0' })],
    });
    expect(member).not.toHaveProperty('visionAccount');
    expect(member).not.toHaveProperty('corp');
    expect(member.devType).toEqual({});
  });

  it('legacy add user (seed 002): the envelope is unwrapped, email/signature/corp null are absent, status 0 a number', () => {
    const member = read(entry('seed002-legacy-createMember.response')) as z.infer<typeof memberResultSchema>;
    expect(member).toMatchObject({
      userAccount: 'test010',
      status: 0,
      vmrList: [expect.objectContaining({ status: 0 })],
    });
    expect(member).not.toHaveProperty('email');
    expect(member).not.toHaveProperty('signature');
  });

  it('legacy modify (seed 004): an envelope without data reads as no member (the client reads it back)', () => {
    expect(read(entry('seed004-legacy-updateMember.response'))).toBeUndefined();
  });

  it('where the documents disagree, both forms pass: numbers sent as strings', () => {
    const member = bodyOf<Record<string, unknown>>('seed003-getMember.response');
    Object.assign(member, { status: '1', adminType: '2', sortLevel: '1', hidePhone: 'true' });
    expect(read(entry('seed003-getMember.response'), member)).toMatchObject({
      status: 1,
      adminType: 2,
      sortLevel: 1,
      hidePhone: true,
    });
    const page = bodyOf<Record<string, unknown>>('listMembers.page1.response');
    Object.assign(page, { offset: '0', limit: '3', count: '5' });
    expect(read(entry('listMembers.page1.response'), page)).toMatchObject({ offset: 0, limit: 3, count: 5 });
  });

  it('a member page: null fields absent, an entry without thirdAccount, count and limit as served', () => {
    const page = read(entry('listMembers.page1.response')) as z.infer<typeof memberPageSchema>;
    expect(page).toMatchObject({ offset: 0, limit: 3, count: 5 });
    expect(page.data?.map((m) => [m.userAccount, m.thirdAccount, m.status])).toEqual([
      ['ana.souza@corp', 'HR-004711', 0],
      ['bruno.lima@corp', 'HR-004712', 1],
      ['carla.reis@corp', undefined, 0],
    ]);
    expect(page.data?.[1]).not.toHaveProperty('englishName');
  });

  it("an empty HR id reads as no HR id, like null (a member made by hand is not someone else's)", () => {
    const page = bodyOf<{ data: Record<string, unknown>[] }>('listMembers.page1.response');
    page.data[0]!.thirdAccount = '';
    page.data[1]!.thirdAccount = ' ';
    const read1 = read(entry('listMembers.page1.response'), page) as z.infer<typeof memberPageSchema>;
    expect(read1.data?.map((m) => m.thirdAccount)).toEqual([undefined, undefined, undefined]);
  });

  it('batch details: entries without id or statusCode are accepted', () => {
    const details = read(entry('getMembersDetails.response')) as z.infer<typeof memberDetailsSchema>;
    expect(details.map((d) => [d.id, d.statusCode])).toEqual([
      ['f521bebcbb27422cb3241c4cb19942c5', 0],
      ['0b7d1c7ec5e94c3aa5a1d3f1d9b2a001', 1],
      ['HR-009999', 2],
      ['HR-004799', 3],
      ['0b7d1c7ec5e94c3aa5a1d3f1d9b2a002', undefined],
      [undefined, 2],
    ]);
  });

  it('admins and departments: the root department has parentDeptCode null (= absent)', () => {
    const admins = read(entry('listAdmins.response')) as z.infer<typeof adminPageSchema>;
    expect(admins.data?.map((a) => [a.account, a.adminType])).toEqual([
      ['admin@corp', 0],
      ['bruno.lima@corp', 1],
    ]);
    expect(admins.data?.[0]?.dept).toEqual(
      expect.not.objectContaining({ parentDeptCode: expect.anything() }),
    );
    expect(admins.data?.[0]?.dept).toMatchObject({ deptCode: '1' });
    const root = read(entry('getDeptAndChildren.root.response')) as z.infer<
      typeof departmentWithChildrenSchema
    >;
    expect(root.parentDeptCode).toBeUndefined();
    expect(root.childDepts?.map((d) => [d.deptCode, d.parentDeptCode])).toEqual([
      ['D-SALES', '1'],
      ['D-MKT', '1'],
    ]);
    expect(read(entry('createDepartment.response'))).toEqual({ value: 'D-SALES' });
  });

  it('token objects: the lifetime comes from validPeriod; nulls (forceLoginInd, proxyToken) are fine', () => {
    for (const name of ['login.account.response', 'login.appId.response', 'legacy-login.account.response']) {
      const e = entry(name);
      const token = toCachedToken(read(e) as z.infer<typeof tokenResponseSchema>, 1_000_000);
      expect(token.accessToken).toMatch(/^tok-/);
      expect(token.expiresAt - token.issuedAt).toBe(name.startsWith('login.appId') ? 56_326_000 : 43_200_000);
    }
  });

  it('a field we act on that is null fails with one error naming API, path and request id, never the body', () => {
    const e = entry('listMembers.page1.response');
    const page = bodyOf<{ data: Record<string, unknown>[] }>(e.name);
    page.data[1]!.status = null;
    page.data[2]!.userAccount = null;
    const error = thrownBy(() => read(e, page));
    expect(error).toBeInstanceOf(MeetingResponseError);
    const { message } = error as MeetingResponseError;
    expect(message).toMatch(/^listMembers: unexpected response \(request id 0+6\): /);
    expect(message).toContain('data.1.status');
    expect(message).toContain('data.2.userAccount');
    expect(message).not.toContain('bruno');
    expect(error).toMatchObject({ api: 'listMembers', requestId: requestIdOf(e), endpoint: ENDPOINT });
  });
});

describe('documented error bodies', () => {
  const httpError = (name: string, authEndpoint = false) => {
    const e = entry(name);
    return errorFromHttp({
      api: e.api,
      status: e.status!,
      body: e.body,
      requestId: requestIdOf(e),
      authEndpoint,
    });
  };

  it.each([
    'error.getMember-notFound',
    'error.variant-camelCase',
    'error.variant-codeMessage',
    'error.variant-nested',
  ])('%s: user not found, in every spelling the SDK cores read', (name) => {
    expect(httpError(name)).toMatchObject({
      kind: 'notFound',
      status: 400,
      errorCode: 'USG.201040000',
      errorMsg: 'The user does not exist.',
    });
  });

  it('already exists, token invalid, and a refused login', () => {
    expect(httpError('error.createMember-exists')).toMatchObject({ kind: 'alreadyExists' });
    const token = httpError('error.token-invalid');
    expect(isTokenRejected(token)).toBe(true);
    const login = httpError('error.login-badPassword', true);
    expectAuthError(login, {
      errorCode: 'USG.206010000',
      errorMsg: 'Incorrect account or password.',
      requestId: 'err-login-badPassword',
    });
  });

  it('a gateway page that is not JSON is a retryable 502', () => {
    const e = entry('error.gateway-nonJson');
    const error = thrownBy(() => currentDialect.unwrap('getMember', asResponse(e, undefined), 0));
    expect(error).toMatchObject({ kind: 'retryable', status: 502 });
  });

  it('legacy errors ride in HTTP 200, returnCode as a string or a number', () => {
    const exists = entry('error.legacy-exists');
    expect(thrownBy(() => legacyDialect.unwrap('createMember', asResponse(exists), 0))).toMatchObject({
      kind: 'alreadyExists',
      errorCode: '201040001',
      requestId: 'err-legacy-exists',
    });
    const expired = entry('error.legacy-tokenExpired');
    const error = thrownBy(() => legacyDialect.unwrap('getMember', asResponse(expired), 0));
    expect(error).toBeInstanceOf(MeetingError);
    expect(isTokenRejected(error)).toBe(true);
  });
});

describe('our requests match the documented ones, and stay strict', () => {
  it('legacy add (seed 002): same method and path, only documented fields; the masked phone is refused', () => {
    const seed = entry('seed002-legacy-createMember.request');
    const documented = Object.keys(seed.body as object).concat(
      // Table 2 of the same page lists these besides the example's fields.
      [
        'id',
        'englishName',
        'vmrId',
        'signature',
        'status',
        'function',
        'sendNotify',
        'sortLevel',
        'hidePhone',
      ],
    );
    const body = validateRequest('createMember', addMemberSchema, {
      name: 'test010',
      account: 'test010',
      thirdAccount: 'HR-1',
      title: 'Engineer',
      email: 'test010@huawei.com',
      country: 'chinaPR',
      deptCode: '1',
      sendNotify: '0',
    });
    const request = legacyDialect.createMember(body);
    expect([request.method, request.path]).toEqual([seed.method, seed.path]);
    expect(Object.keys(request.body as object).every((k) => documented.includes(k))).toBe(true);
    expect(() => validateRequest('createMember', addMemberSchema, seed.body)).toThrow(/phone/);
  });

  it('legacy modify (seed 004): same path for the account; the example body minus its masked phone is valid', () => {
    const seed = entry('seed004-legacy-updateMember.request');
    const { phone: _, ...unmasked } = seed.body as Record<string, unknown>;
    const body = validateRequest('updateMember', updateMemberSchema, unmasked);
    const request = legacyDialect.updateMember('test001', 0, body);
    expect([request.method, request.path]).toEqual([seed.method, seed.path]);
    expect(request.body).toEqual(unmasked);
  });

  it('status and delete batches: the status in the path, a bare array of accounts as body', () => {
    for (const [name, request] of [
      ['setMembersStatus.request', currentDialect.setMembersStatus(['HR-004711', 'HR-004712'], 1, 1)],
      ['deleteMembers.request', currentDialect.deleteMembers(['HR-004711'], 1)],
    ] as const) {
      const e = entry(name);
      const query = new URLSearchParams(
        Object.entries(request.query ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
      );
      expect([request.method, `${request.path}?${query}`, request.body]).toEqual([e.method, e.path, e.body]);
    }
  });

  it('App ID login: access=Base64(appId) and X-Token-Type: LongTicket, the documented body fields', () => {
    const e = entry('login.appId.request');
    const request = buildLoginRequest(
      { mode: 'appId', appId: 'app-0001', appKey: new Secret('k'.repeat(32)) },
      'current',
      Date.UTC(2025, 0, 1),
    );
    expect([request.method, request.path]).toEqual([e.method, e.path]);
    expect(request.headers).toMatchObject({
      'X-Token-Type': 'LongTicket',
      Authorization: expect.stringMatching(
        new RegExp(
          `^HMAC-SHA256 signature=[0-9a-f]{64},access=${Buffer.from('app-0001').toString('base64')}$`,
        ),
      ),
    });
    expect(Object.keys(request.body).sort()).toEqual(
      Object.keys(e.body as object)
        .filter((k) => k !== 'userId')
        .sort(),
    );
    const account = entry('login.account.request');
    const login = buildLoginRequest(
      { mode: 'account', account: 'admin@corp', password: new Secret('p') },
      'current',
      0,
    );
    expect([login.method, login.path, login.body]).toEqual([account.method, account.path, account.body]);
  });
});
