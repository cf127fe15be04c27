import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { MeetingAuthError, MeetingError, MeetingResponseError } from '../../lib/http/errors.js';
import { parseRetryAfter } from '../../lib/http/retry-after.js';
import type { RequestEvent } from '../../lib/http/transport.js';
import { rejectionOf } from '../helpers/errors.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator();
const noSleep = async () => {};
const client = (env: Record<string, string> = {}, extra: { fetch?: typeof fetch } = {}) => {
  const requests: RequestEvent[] = [];
  const meeting = connectMeeting({
    config: simulatorConfig(handle.sim, 'appId', { MEETING_MAX_ATTEMPTS: '1', ...env }),
    sleep: noSleep,
    observer: { request: (e) => requests.push(e) },
    ...extra,
  });
  return { meeting, requests };
};

describe('error classification', () => {
  it('notFound: 400 + USG.201040000, with code, message, request id, status and api', async () => {
    const { meeting } = client();
    const error = await rejectionOf(meeting.getMember('HR-none', { requestId: 'trace-404' }));
    expect(error).toBeInstanceOf(MeetingError);
    expect(error).not.toBeInstanceOf(MeetingAuthError);
    expect(error).toMatchObject({
      kind: 'notFound',
      status: 400,
      errorCode: 'USG.201040000',
      requestId: 'trace-404',
      api: 'getMember',
      errorMsg: expect.stringContaining('HR-none'),
    });
  });

  it('alreadyExists: USG.201040001', async () => {
    const { meeting } = client();
    const input = { name: 'A', thirdAccount: 'HR-1', email: 'a@corp.example' };
    await meeting.createMember(input);
    expect(await rejectionOf(meeting.createMember(input))).toMatchObject({
      kind: 'alreadyExists',
      errorCode: 'USG.201040001',
    });
  });

  it('forbidden: 403 for a common admin granting admins (no re-login, no retry, not retryable)', async () => {
    const owner = client().meeting;
    await owner.createMember({ name: 'Adm', thirdAccount: 'HR-ADM', email: 'adm@corp.example' });
    await owner.addAdmin('HR-ADM');
    const { meeting } = client({ MEETING_USER_ID: 'HR-ADM', MEETING_MAX_ATTEMPTS: '3' });
    await owner.createMember({ name: 'B', thirdAccount: 'HR-B', email: 'b@corp.example' });
    handle.sim.resetCounters();
    const error = await rejectionOf(meeting.addAdmin('HR-B'));
    expect(error).toMatchObject({ kind: 'forbidden', status: 403, retryable: false });
    expect(error).not.toBeInstanceOf(MeetingAuthError);
    expect(handle.sim.counters()).toMatchObject({ auth: 1, calls: { addAdmin: 1 } });
  });

  it.each([
    ['throttled', { throttleRate: 1, retryAfterSeconds: 2 }, { status: 429, retryAfterMs: 2000 }],
    ['retryable', { errorRate: 1 }, {}],
  ] as const)('%s: from injected faults', async (kind, faults, extra) => {
    const { meeting } = client();
    handle.sim.setFaults({ ...faults, apis: ['getDeptAndChildren'] });
    expect(await rejectionOf(meeting.getDepartment('1'))).toMatchObject({ kind, ...extra });
  });

  it('retryable: a socket reset and a timeout', async () => {
    const { meeting } = client({ MEETING_TIMEOUT_MS: '100' });
    handle.sim.setFaults({ resetRate: 1, apis: ['getDeptAndChildren'] });
    expect(await rejectionOf(meeting.getDepartment('1'))).toMatchObject({
      kind: 'retryable',
      api: 'getDeptAndChildren',
    });
    handle.sim.setFaults({ slowRate: 1, slowMs: 60_000, apis: ['getDeptAndChildren'] });
    const timeout = await rejectionOf(meeting.getDepartment('1'));
    expect(timeout).toMatchObject({
      kind: 'retryable',
      message: expect.stringContaining('timed out after 100 ms'),
    });
  });

  it('permanent: other 4xx from the server', async () => {
    const { meeting } = client();
    const input = { name: 'A', thirdAccount: 'HR-1', email: 'a@corp.example', deptCode: 'D-missing' };
    expect(await rejectionOf(meeting.createMember(input))).toMatchObject({ kind: 'permanent', status: 400 });
  });

  it('invalid input is a permanent error and sends nothing (not even a login)', async () => {
    const { meeting } = client();
    const bad = await rejectionOf(meeting.createMember({ name: '', thirdAccount: 'HR-1', phone: '0123' }));
    expect(bad).toMatchObject({ kind: 'permanent', api: 'createMember' });
    expect((bad as Error).message).toMatch(/name.*phone|phone.*name/s);
    await expect(meeting.getMember('not valid!', { accountType: 0 })).rejects.toMatchObject({
      kind: 'permanent',
    });
    await expect(meeting.setMembersStatus(['HR-1'], 7 as 0)).rejects.toMatchObject({ kind: 'permanent' });
    expect(handle.sim.counters()).toMatchObject({ authAttempts: 0, businessCalls: 0 });
  });

  it('a response that breaks its contract is one MeetingResponseError naming API, field path and request id, never the body', async () => {
    const corrupt: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input).includes('/member/dept/')) return response;
      await response.arrayBuffer();
      const body = String(input).endsWith('/1')
        ? '{"deptCode":"1","unexpected":true,"childDepts":"Private Person +5511987654321"}'
        : '<html>';
      return new Response(body, { status: 200, headers: response.headers });
    };
    const { meeting } = client({}, { fetch: corrupt });
    const error = await rejectionOf(meeting.getDepartment('1', { requestId: 'trace-bad' }));
    expect(error).toBeInstanceOf(MeetingResponseError);
    const { message } = error as MeetingResponseError;
    expect(message).toContain('getDeptAndChildren');
    expect(message).toContain('childDepts');
    expect(message).toContain('trace-bad');
    expect(message).not.toContain('Private Person');
    expect(message).not.toContain('5511987654321');
    expect(error).toMatchObject({ requestId: 'trace-bad', endpoint: handle.sim.url });
    await meeting.createDepartment({ deptCode: 'D-2', deptName: 'Two' });
    expect(await rejectionOf(meeting.getDepartment('D-2'))).toMatchObject({
      name: 'MeetingResponseError',
      status: 200,
    });
  });
});

describe('X-Request-Id', () => {
  it('propagates the caller’s id on every attempt and generates a UUID otherwise', async () => {
    const { meeting, requests } = client({ MEETING_MAX_ATTEMPTS: '3' });
    handle.sim.setFaults({ errorRate: 1, apis: ['getDeptAndChildren'] });
    await rejectionOf(meeting.getDepartment('1', { requestId: 'evt-42' }));
    const business = requests.filter((r) => r.api === 'getDeptAndChildren');
    expect(business.map((r) => [r.requestId, r.attempt])).toEqual([
      ['evt-42', 1],
      ['evt-42', 2],
      ['evt-42', 3],
    ]);
    handle.sim.setFaults(undefined);
    await meeting.findDepartmentsByName('x');
    expect(requests.at(-1)?.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, never negative', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
