import { describe, expect, it } from 'vitest';
import { FOREIGN_ACCOUNTS } from '../../simulator/index.js';
import { MEMBERS, newMember, type Res, useAdminApi, useSim } from './support.js';

const handle = useSim();
const api = useAdminApi(handle);

const expectParamError = (res: Res, field: RegExp) => {
  expect(res.status).toBe(400);
  expect(res.body).toEqual({
    error_code: 'USG.000000001',
    error_msg: expect.stringMatching(field),
    request_id: res.headers.get('x-request-id'),
  });
};

describe('member add / detail / modify (docs/meeting-api.md §2.1-§2.4)', () => {
  it('creates a member and answers the docs/meeting-api.md §2.9 user object', async () => {
    const res = await api(
      'POST',
      MEMBERS,
      newMember({ account: 'ana', thirdAccount: 'HR-004711', pwd: 'Secret#123' }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: expect.any(String),
      userAccount: 'ana',
      thirdAccount: 'HR-004711',
      deptCode: '1',
      userType: 2,
      adminType: 2,
      status: 0,
      sortLevel: 10000,
      country: 'chinaPR',
      vmrList: [expect.objectContaining({ vmrId: expect.any(String) })],
    });
    expect(res.text).not.toContain('Secret#123');
    expect(handle.sim.members().find((m) => m.userAccount === 'ana')).toMatchObject({
      thirdAccount: 'HR-004711',
    });
  });

  it('generates an account when none is given', async () => {
    const res = await api('POST', MEMBERS, newMember({ account: undefined }));
    expect(res.body.userAccount).toMatch(/^[A-Za-z0-9]+$/);
    expect(res.body.userAccount).not.toMatch(/^\d+$/);
  });

  it('reads by Meeting account (accountType 0) and by third-party id (accountType 1)', async () => {
    await api('POST', MEMBERS, newMember({ account: 'bo@corp', thirdAccount: 'HR-9' }));
    expect((await api('GET', `${MEMBERS}/bo%40corp`)).body.thirdAccount).toBe('HR-9');
    expect((await api('GET', `${MEMBERS}/HR-9?accountType=1`)).body.userAccount).toBe('bo@corp');
    expectParamError(await api('GET', `${MEMBERS}/HR-9?accountType=2`), /accountType/);
  });

  it('answers 400 USG.201040000 for an unknown member (not 404)', async () => {
    const res = await api('GET', `${MEMBERS}/ghost`);
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe('USG.201040000');
    expect((await api('PUT', `${MEMBERS}/ghost`, { name: 'x' })).body.error_code).toBe('USG.201040000');
  });

  it('modifies given fields only and answers the updated object', async () => {
    await api('POST', MEMBERS, newMember({ account: 'cy', thirdAccount: 'HR-c', title: 'Analyst' }));
    const res = await api('PUT', `${MEMBERS}/HR-c?accountType=1`, { name: 'Cy Renamed', status: 1 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Cy Renamed', status: 1, title: 'Analyst', userAccount: 'cy' });
  });

  it('answers USG.201040001 for a taken account, a taken thirdAccount and another enterprise’s account', async () => {
    await api('POST', MEMBERS, newMember({ account: 'dup', thirdAccount: 'HR-dup' }));
    for (const body of [
      newMember({ account: 'dup' }),
      newMember({ thirdAccount: 'HR-dup' }),
      newMember({ account: FOREIGN_ACCOUNTS[0] }),
    ]) {
      const res = await api('POST', MEMBERS, body);
      expect(res.status).toBe(400);
      expect(res.body.error_code).toBe('USG.201040001');
    }
  });

  it.each([
    ['missing name', { name: undefined }, /name/],
    ['name over 64', { name: 'n'.repeat(65) }, /name/],
    ['all-digit account', { account: '12345' }, /account/],
    ['"." after "@"', { account: 'a@b.c' }, /account/],
    ['account charset', { account: 'a b' }, /account/],
    ['phone without +', { phone: '8613800000000', country: 'chinaPR' }, /phone/],
    ['phone without country', { phone: '+8613800000000' }, /country/],
    ['neither phone nor email', { email: undefined }, /phone or email/],
    ['short password', { pwd: 'Ab1' }, /pwd/],
    ['one-class password', { pwd: 'abcdefghij' }, /pwd/],
    ['password equal to account', { account: 'Xy12abcd', pwd: 'Xy12abcd' }, /pwd/],
    ['sortLevel out of range', { sortLevel: 0 }, /sortLevel/],
    ['status 2', { status: 2 }, /status/],
    ['title over 32', { title: 't'.repeat(33) }, /title/],
  ])('rejects %s with 400 naming the field', async (_, over, field) => {
    expectParamError(await api('POST', MEMBERS, newMember(over)), field);
  });

  it('answers 400 for an unknown deptCode on add and on modify', async () => {
    const res = await api('POST', MEMBERS, newMember({ deptCode: 'NOPE' }));
    expect(res.status).toBe(400);
    expect(res.body.error_msg).toMatch(/NOPE/);
    await api('POST', MEMBERS, newMember({ account: 'dd' }));
    expect((await api('PUT', `${MEMBERS}/dd`, { deptCode: 'NOPE' })).status).toBe(400);
  });

  it('answers 400 for malformed JSON and for a non-object body', async () => {
    const bad = await api('POST', MEMBERS, undefined, { rawBody: '{"name":' });
    expectParamError(bad, /JSON/);
    expectParamError(await api('POST', MEMBERS, ['x']), /object/);
  });

  it('echoes X-Request-Id in the header and in error bodies, and generates one when absent', async () => {
    const res = await api('GET', `${MEMBERS}/ghost`, undefined, { headers: { 'X-Request-Id': 'trace-42' } });
    expect(res.headers.get('x-request-id')).toBe('trace-42');
    expect(res.body.request_id).toBe('trace-42');
    const generated = await api('GET', MEMBERS);
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
