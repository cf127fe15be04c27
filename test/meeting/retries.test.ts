import { describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { MeetingBudgetError, MeetingError, MemberConflictError } from '../../lib/http/errors.js';
import type { MeetingObserver } from '../../lib/meeting/client.js';
import { createAdaptiveRateLimiter } from '../../lib/meeting/rate-limiter.js';
import { type RetryEvent, type RetryPolicy, withRetry } from '../../lib/meeting/retry.js';
import { type FaultConfig, FOREIGN_ACCOUNTS } from '../../simulator/index.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';
import { fakeClock } from './support.js';

const handle = useSimulator();

/**
 * A client whose sleeps are recorded and cost no time (they move its clock instead); when
 * `healAfter` is set, the fault stops after that many retries, as a transient one would.
 */
const setup = (
  env: Record<string, string> = {},
  opts: { healAfter?: number; until?: () => boolean } = {},
) => {
  const clock = fakeClock(Date.now());
  const retries: RetryEvent[] = [];
  const delays: number[] = [];
  const observer: MeetingObserver = { retry: (e) => retries.push(e) };
  const sleep = async (ms: number) => {
    delays.push(ms);
    clock.advance(ms);
    if (opts.healAfter !== undefined && delays.length >= opts.healAfter) handle.sim.setFaults(undefined);
    // Waits for a condition, not for a time: a loaded machine only makes it take longer.
    while (opts.until && !opts.until()) await new Promise((r) => setTimeout(r, 10));
  };
  const meeting = connectMeeting({
    config: simulatorConfig(handle.sim, 'appId', env),
    clock,
    sleep,
    random: () => 0.999,
    observer,
  });
  return { meeting, retries, delays };
};

const faultOn = (api: string, faults: FaultConfig) => handle.sim.setFaults({ ...faults, apis: [api] });

describe('retry layer', () => {
  it.each([
    ['5xx', { errorRate: 1 }],
    ['socket reset', { resetRate: 1 }],
  ] as const)('retries a %s and succeeds once it clears', async (_name, faults) => {
    const { meeting, retries } = setup({}, { healAfter: 1 });
    faultOn('getDeptAndChildren', faults);
    expect((await meeting.getDepartment('1')).deptCode).toBe('1');
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(2);
    expect(retries).toMatchObject([{ api: 'getDeptAndChildren', attempt: 1, kind: 'retryable' }]);
  });

  it('retries a timeout (slow answer) as retryable', async () => {
    // The slow answer would come long after the timeout; the healthy retry has a second.
    const { meeting } = setup({ MEETING_TIMEOUT_MS: '1000' }, { healAfter: 1 });
    faultOn('getDeptAndChildren', { slowRate: 1, slowMs: 60_000 });
    expect((await meeting.getDepartment('1')).deptCode).toBe('1');
    expect(handle.sim.counters()).toMatchObject({ calls: { getDeptAndChildren: 2 }, faults: { slow: 1 } });
  });

  it('backs off exponentially with full jitter up to maxAttempts, then throws the last error', async () => {
    const { meeting, delays } = setup({ MEETING_MAX_ATTEMPTS: '4' });
    faultOn('getDeptAndChildren', { errorRate: 1 });
    const error = await meeting.getDepartment('1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingError);
    expect(error).toMatchObject({ kind: 'retryable', api: 'getDeptAndChildren' });
    expect([500, 502, 503]).toContain((error as MeetingError).status);
    expect(delays).toEqual([99, 199, 399]);
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(4);
  });

  it('retries a first 429 after the normal backoff, and waits out Retry-After from the second', async () => {
    const { meeting, delays, retries } = setup({}, { healAfter: 2 });
    faultOn('getDeptAndChildren', { throttleRate: 1, retryAfterSeconds: 3 });
    await meeting.getDepartment('1');
    expect(delays).toEqual([99, 3000]);
    expect(retries).toMatchObject([
      { kind: 'throttled', delayMs: 99 },
      { kind: 'throttled', delayMs: 3000 },
    ]);
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(3);
  });

  it.each([
    [
      'permanent (bad parameter)',
      () => ({ name: 'X', thirdAccount: 'HR-1', email: 'x@corp.example', deptCode: 'nope' }),
    ],
    ['alreadyExists', () => ({ name: 'X', account: FOREIGN_ACCOUNTS[0]!, email: 'x@corp.example' })],
  ])('never retries %s', async (_name, input) => {
    const { meeting, delays } = setup();
    await expect(meeting.createMember(input())).rejects.toBeInstanceOf(MeetingError);
    expect(handle.sim.counters().calls.createMember).toBe(1);
    expect(delays).toEqual([]);
  });

  it('never retries notFound or auth', async () => {
    const { meeting } = setup();
    await expect(meeting.getMember('HR-none')).rejects.toMatchObject({ kind: 'notFound' });
    faultOn('getMember', { revokeRate: 1 });
    await expect(meeting.getMember('HR-none')).rejects.toMatchObject({ kind: 'auth' });
    expect(handle.sim.counters().calls.getMember).toBe(3); // 1 + (1 + one re-login retry)
  });
});

describe('withRetry: server delays and the time budget', () => {
  const failing = (...errors: MeetingError[]) => {
    let n = 0;
    return async () => {
      const error = errors[n++];
      if (error) throw error;
      return 'ok';
    };
  };
  const policy = (delays: number[], extra: Partial<RetryPolicy> = {}): RetryPolicy => ({
    maxAttempts: 4,
    random: () => 0,
    sleep: async (ms) => {
      delays.push(ms);
    },
    ...extra,
  });
  const unavailable = (retryAfterMs?: number) =>
    new MeetingError('x failed: HTTP 503', { kind: 'retryable', status: 503, retryAfterMs });
  const throttled = (retryAfterMs: number) =>
    new MeetingError('x failed: HTTP 429', { kind: 'throttled', status: 429, retryAfterMs });

  it('waits a 5xx Retry-After out, and a 429 one from the second 429 of the call on', async () => {
    const delays: number[] = [];
    await withRetry('x', failing(unavailable(2_000), throttled(3_000), throttled(3_000)), policy(delays));
    expect(delays).toEqual([2_000, 0, 3_000]);
  });

  it('does not wait when the next attempt would not fit the caller’s time: the real failure surfaces', async () => {
    const delays: number[] = [];
    const error = unavailable();
    await expect(
      withRetry('x', failing(error), policy(delays, { fits: (delayMs) => delayMs < 0 })),
    ).rejects.toBe(error);
    expect(delays).toEqual([]);
  });

  it('never retries a call refused for lack of time', async () => {
    const delays: number[] = [];
    const refused = new MeetingBudgetError('x not sent', { kind: 'retryable' });
    await expect(withRetry('x', failing(refused), policy(delays))).rejects.toBe(refused);
    expect(delays).toEqual([]);
  });
});

describe('time budget (what is left of an invocation)', () => {
  const budgetOf = (ms: number) => ({ remainingMs: () => ms });

  it('sends nothing when an attempt no longer fits: MeetingBudgetError, no request', async () => {
    const { meeting } = setup({ MEETING_TIMEOUT_MS: '2000' });
    // Not even the shortest attempt (2 s, MEETING_TIMEOUT_MS here) and its 0.5 s margin fit.
    const error = await meeting.getDepartment('1', { budget: budgetOf(2_400) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingBudgetError);
    expect(error).toMatchObject({ kind: 'retryable', api: 'getDeptAndChildren' });
    expect(handle.sim.counters().calls.getDeptAndChildren ?? 0).toBe(0);
  });

  it('sends an attempt, and its retry, with the timeout cut to the time left when the configured one does not fit', async () => {
    // MEETING_TIMEOUT_MS far longer than the 5 s left: attempts are cut to 4.5 s, not refused.
    const { meeting, retries } = setup({ MEETING_TIMEOUT_MS: '30000' }, { healAfter: 1 });
    faultOn('getDeptAndChildren', { errorRate: 1 });
    const department = await meeting.getDepartment('1', { budget: budgetOf(5_000) });
    expect(department.deptCode).toBe('1');
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(2);
    expect(retries).toHaveLength(1);
  });

  it('ends a cut attempt that gets no answer when the time left is up, as MeetingBudgetError (not a Meeting timeout)', async () => {
    const { meeting } = setup({ MEETING_TIMEOUT_MS: '30000', MEETING_MAX_ATTEMPTS: '4' });
    faultOn('getDeptAndChildren', { slowRate: 1, slowMs: 60_000 });
    const deadline = performance.now() + 3_000;
    const started = performance.now();
    const error = await meeting
      .getDepartment('1', { budget: { remainingMs: () => deadline - performance.now() } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingBudgetError);
    expect(error).toMatchObject({
      kind: 'retryable',
      api: 'getDeptAndChildren',
      message: expect.stringMatching(
        /^getDeptAndChildren got no answer in the \d+ ms left of the invocation/,
      ),
    });
    // Abandoned at the budget (~2.5 s), far before the configured 30 s, and not retried.
    expect(performance.now() - started).toBeLessThan(25_000);
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(1);
  });

  it('lets an attempt that fits run to its end, and stops retrying when the next would not fit', async () => {
    let left = 10_000;
    faultOn('getDeptAndChildren', { errorRate: 1 });
    const meeting = connectMeeting({
      config: simulatorConfig(handle.sim, 'appId', { MEETING_TIMEOUT_MS: '2000', MEETING_MAX_ATTEMPTS: '4' }),
      sleep: async () => undefined,
      // Each answered attempt "costs" 4 s of the budget: after two, a third (2.5 s) no longer fits.
      observer: {
        request: () => {
          left -= 4_000;
        },
      },
    });
    const error = await meeting
      .getDepartment('1', { budget: { remainingMs: () => left } })
      .catch((e: unknown) => e);
    // The caller hears the real failure, not that time ran out.
    expect(error).toMatchObject({ kind: 'retryable', status: expect.any(Number) });
    expect(error).not.toBeInstanceOf(MeetingBudgetError);
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(2);
  });

  it('waits for a login only while an attempt would still fit afterwards (the login goes on for later calls)', async () => {
    const { meeting } = setup({ MEETING_TIMEOUT_MS: '30000' });
    faultOn('authAppId', { slowRate: 1, slowMs: 60_000 });
    const started = performance.now();
    const error = await meeting
      .getDepartment('1', { budget: { remainingMs: () => 3_000 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingBudgetError);
    // Given up at the budget (~0.5 s here), not after the login's 30 s timeout.
    expect(performance.now() - started).toBeLessThan(25_000);
    expect(handle.sim.counters().calls.getDeptAndChildren ?? 0).toBe(0);
    handle.sim.setFaults(undefined);
  });

  it('waits for a rate-limit slot only while an attempt would still fit afterwards', async () => {
    const limiter = createAdaptiveRateLimiter({ perMinute: 1 });
    const meeting = connectMeeting({
      config: simulatorConfig(handle.sim, 'appId', { MEETING_TIMEOUT_MS: '1000' }),
      rateLimiter: limiter,
    });
    await meeting.getDepartment('1');
    const started = performance.now();
    // The next slot is a minute away; the budget allows ~1.5 s of waiting, then the call gives up.
    const error = await meeting
      .getDepartment('1', { budget: { remainingMs: () => 3_000 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingBudgetError);
    expect(performance.now() - started).toBeLessThan(30_000);
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(1);
  });
});

describe('caller signal', () => {
  it('aborting ends the call at once as a typed error, without retrying', async () => {
    const { meeting, delays } = setup({ MEETING_MAX_ATTEMPTS: '4' });
    faultOn('getDeptAndChildren', { slowRate: 1, slowMs: 60_000 });
    const error = await meeting
      .getDepartment('1', { signal: AbortSignal.timeout(50) })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MeetingError);
    expect(error).toMatchObject({
      kind: 'retryable',
      message: expect.stringContaining('aborted by the caller'),
    });
    expect(delays).toEqual([]);
    expect(handle.sim.counters().calls.getDeptAndChildren).toBe(1);
  });

  it('an already aborted signal sends nothing', async () => {
    const { meeting } = setup();
    await expect(meeting.getDepartment('1', { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      MeetingError,
    );
    expect(handle.sim.counters()).toMatchObject({ authAttempts: 0, businessCalls: 0 });
  });
});

describe('non-idempotent create', () => {
  it('adopts the member a timed-out first attempt created (already-exists on the retry)', async () => {
    // The first attempt times out while the server still holds it; the retry goes only once
    // the server has created the member.
    const created = () => handle.sim.members().some((m) => m.thirdAccount === 'HR-9');
    const { meeting } = setup({ MEETING_TIMEOUT_MS: '1000' }, { healAfter: 1, until: created });
    faultOn('createMember', { slowRate: 1, slowMs: 1_500 });
    const member = await meeting.createMember({
      name: 'Ana',
      thirdAccount: 'HR-9',
      email: 'ana@corp.example',
    });
    expect(member.thirdAccount).toBe('HR-9');
    expect(handle.sim.counters().calls).toMatchObject({ createMember: 2, getMember: 1 });
    expect(handle.sim.members().filter((m) => m.thirdAccount === 'HR-9')).toHaveLength(1);
  });

  it('reports a conflict when the retry hits someone else’s account', async () => {
    const { meeting } = setup({}, { healAfter: 1 });
    faultOn('createMember', { errorRate: 1 });
    const input = {
      name: 'Ana',
      thirdAccount: 'HR-9',
      account: FOREIGN_ACCOUNTS[0]!,
      email: 'ana@corp.example',
    };
    await expect(meeting.createMember(input)).rejects.toBeInstanceOf(MemberConflictError);
    expect(handle.sim.counters().calls.createMember).toBe(2);
  });
});
