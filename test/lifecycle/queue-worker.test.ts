import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWorkerHandler } from '../../functions/lifecycle-worker/handler.js';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { createQueueWorker } from '../../lib/lifecycle/queue-worker.js';
import type { LifecycleDeps } from '../../lib/lifecycle/types.js';
import type { RedeliveryPolicy } from '../../lib/queue/redelivery.js';
import type { QueueMessage, VisibilityChange } from '../../lib/queue/types.js';
import { type Log, silentLog } from '../../lib/shared/log.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { SIMULATOR_API_NAMES } from '../../simulator/index.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';
import { simulatorConfig } from '../helpers/simulator.js';
import { fakeClock } from '../meeting/support.js';

/**
 * The worker's handling of what it cannot apply now, through the real handler against the
 * simulator and dynalite: failures come back after growing delays, a Meeting outage pauses
 * calls (circuit breaker) instead of spending every retry on every event, and an invocation
 * out of time starts nothing more and hands the rest back at once.
 */

const POLICY: RedeliveryPolicy = { baseMs: 1_000, capMs: 8_000, pauseMs: 60_000 };
const events = createHrEventFactory({ idPrefix: 'qw' });
let env: LifecycleEnv;
let run = 0;

beforeAll(async () => {
  env = await startLifecycleEnv({ env: { MEETING_MAX_ATTEMPTS: '2', MEETING_TIMEOUT_MS: '2000' } });
});
afterAll(() => env?.close());
beforeEach(() => {
  env.simulator.setFaults(undefined);
  env.simulator.resetCounters();
});

const record = (body: string, groupId: string, receiveCount: number): SQSRecord => ({
  messageId: randomUUID(),
  receiptHandle: `handle-${randomUUID()}`,
  body,
  attributes: {
    ApproximateReceiveCount: String(receiveCount),
    SentTimestamp: String(Date.now()),
    SenderId: 'TEST',
    ApproximateFirstReceiveTimestamp: String(Date.now()),
    SequenceNumber: '1',
    MessageGroupId: groupId,
    MessageDeduplicationId: randomUUID(),
  },
  messageAttributes: {},
  md5OfBody: createHash('md5').update(body).digest('hex'),
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:meeting-lifecycle-events.fifo',
  awsRegion: 'us-east-1',
});

/** Hires of fresh employees, one FIFO group each, received for the `receiveCount`-th time. */
const hires = (n: number, receiveCount: number) => {
  const prefix = `Q${++run}x`;
  return Array.from({ length: n }, (_, i) => {
    const id = `${prefix}${i}`;
    return record(JSON.stringify(events(EVENT_TYPES.hired, id, sampleMember(id, i))), id, receiveCount);
  });
};

const setup = (clock = fakeClock(Date.now()), deps: Partial<LifecycleDeps> = {}, on: LifecycleEnv = env) => {
  const handedBack = new Map<string, number>();
  const reasons = new Map<string, string>();
  const deadLetters: QueueMessage[] = [];
  const warnings: string[] = [];
  const infos: string[] = [];
  const log: Log = {
    ...silentLog,
    warn: (message) => void warnings.push(message),
    info: (message) => void infos.push(message),
  };
  const worker = createQueueWorker({
    lifecycle: on.with({}, { clock, log, ...deps }),
    deadLetters: { send: async (messages) => void deadLetters.push(...messages) },
    visibility: {
      setVisibility: async (changes: readonly VisibilityChange[]) => {
        for (const c of changes) handedBack.set(c.receiptHandle, c.delayMs);
      },
    },
    redelivery: POLICY,
    random: () => 1 - Number.EPSILON,
  });
  const handler = createWorkerHandler(async () => worker, {
    onRecordFailure: (r, reason) => reasons.set(r.messageId, reason),
  });
  /** Invokes the handler; `context` replaces the Lambda context's clock-driven remaining time. */
  const invoke = async (records: SQSRecord[], timeoutMs = 30_000, remainingMs?: () => number) =>
    (
      (await handler(
        { Records: records },
        {
          ...createLambdaContext('lifecycle-worker', timeoutMs),
          ...(remainingMs && { getRemainingTimeInMillis: remainingMs }),
        },
      )) as SQSBatchResponse
    ).batchItemFailures.map((f) => f.itemIdentifier);
  return { clock, invoke, handedBack, reasons, deadLetters, warnings, infos };
};

describe('queue worker: what it cannot apply now', () => {
  it('while Meeting is down, pauses after two failed events and hands every event back with its growing delay', async () => {
    const w = setup();
    env.simulator.setFaults({ errorRate: 1, apis: [...SIMULATOR_API_NAMES] });
    const batch = hires(6, 3);
    expect(await w.invoke(batch)).toEqual(batch.map((r) => r.messageId));
    const calls = env.simulator.counters();
    // Two events tried (each its two attempts, logins included); four not tried at all.
    expect(
      [...w.reasons.values()].filter((r) => r.startsWith('not started: Meeting is unavailable')),
    ).toHaveLength(4);
    // Third receive: 1 s × 2² = 4 s (jitter at its top), for the tried and the untried alike.
    expect(batch.map((r) => w.handedBack.get(r.receiptHandle))).toEqual(Array(6).fill(4_000));
    expect(w.deadLetters).toEqual([]);

    // Still paused: a later batch makes no call at all, and its delays grow with its receive count.
    const later = hires(2, 5);
    await w.invoke(later);
    expect(env.simulator.counters().businessCalls + env.simulator.counters().authAttempts).toBe(
      calls.businessCalls + calls.authAttempts,
    );
    expect(later.map((r) => w.handedBack.get(r.receiptHandle))).toEqual([8_000, 8_000]);

    // Operators are told once that the breaker opened, and when Meeting answers again.
    const opened = 'Meeting unavailable: circuit breaker open, events wait with their delays';
    expect(w.warnings.filter((m) => m === opened)).toHaveLength(1);
    expect(w.infos).not.toContain('Meeting answered: circuit breaker closed');

    // Back: once the pause is over, the first event probes, succeeds and closes the breaker.
    env.simulator.setFaults(undefined);
    w.clock.advance(POLICY.pauseMs);
    const recovered = hires(3, 6);
    expect(await w.invoke(recovered)).toEqual([]);
    expect(w.infos.filter((m) => m === 'Meeting answered: circuit breaker closed')).toHaveLength(1);
    expect(env.simulator.members().filter((m) => String(m.thirdAccount).startsWith(`Q${run}x`))).toHaveLength(
      3,
    );
  });

  it('a probe that made no Meeting call (a malformed body) does not close the breaker: the next event probes', async () => {
    const w = setup();
    env.simulator.setFaults({ errorRate: 1, apis: [...SIMULATOR_API_NAMES] });
    await w.invoke(hires(2, 1)); // two failures: paused
    w.clock.advance(POLICY.pauseMs);
    const malformed = record(JSON.stringify({ not: 'an event' }), 'QWmalformed', 1);
    const after = hires(3, 1);
    w.reasons.clear();
    expect(await w.invoke([malformed, ...after])).toEqual(after.map((r) => r.messageId));
    expect(w.deadLetters.map((m) => m.groupId)).toEqual(['QWmalformed']);
    // The first hire probes (and fails: Meeting is still down); the other two are not tried.
    expect(w.reasons.get(after[0]!.messageId)).not.toMatch(/^not started/);
    expect(after.slice(1).map((r) => w.reasons.get(r.messageId))).toEqual([
      'not started: Meeting is unavailable (circuit breaker open)',
      'not started: Meeting is unavailable (circuit breaker open)',
    ]);
  });

  it("a 403 (the signed-in account lacks the right) dead-letters the event at once; the employee's termination behind it goes on", async () => {
    // Signed in as a common admin, which may manage members but not grant admin roles.
    const owner = env.lifecycle.context.meeting;
    const admin = await owner.createMember({
      name: 'Common Admin',
      thirdAccount: `QWadm${run}`,
      email: `qwadm${run}@corp.example`,
      pwd: 'Common#Adm1n',
    });
    await owner.addAdmin(admin.userAccount!, { accountType: 0 });
    const common = connectMeeting({
      config: simulatorConfig(env.simulator, 'account', {
        MEETING_ACCOUNT: admin.userAccount!,
        MEETING_PASSWORD: 'Common#Adm1n',
      }),
    });
    const w = setup(undefined, { meeting: common });
    const id = `Q${++run}x403`;
    const member = sampleMember(id, 0);
    const batch = [EVENT_TYPES.hired, EVENT_TYPES.adminGranted, EVENT_TYPES.terminated].map((type) =>
      record(JSON.stringify(events(type, id, member)), id, 1),
    );
    expect(await w.invoke(batch)).toEqual([]);
    expect(w.deadLetters.map((m) => m.attributes?.reason)).toEqual([
      expect.stringMatching(/addAdmin.*USG\.000000003/),
    ]);
    expect(env.simulator.members().find((m) => m.thirdAccount === id)).toMatchObject({ status: 1 });

    // An admin leaver whose revoke is forbidden is still disabled: access goes first.
    const leaver = `Q${run}x403b`;
    await env.lifecycle.applyEvent(events(EVENT_TYPES.hired, leaver, sampleMember(leaver, 1)));
    await env.lifecycle.applyEvent(events(EVENT_TYPES.adminGranted, leaver, sampleMember(leaver, 1)));
    const termination = record(
      JSON.stringify(events(EVENT_TYPES.terminated, leaver, sampleMember(leaver, 1))),
      leaver,
      1,
    );
    expect(await w.invoke([termination])).toEqual([]);
    expect(w.deadLetters.at(-1)?.attributes?.reason).toMatch(/deleteAdmins.*USG\.000000003/);
    expect(env.simulator.members().find((m) => m.thirdAccount === leaver)).toMatchObject({
      status: 1,
      adminType: 1,
    });
  });

  it('one unlucky event (every retry failed) is not an outage: the next is tried', async () => {
    const w = setup();
    const [unlucky, next] = hires(2, 1);
    env.simulator.setFaults({ errorRate: 1, apis: ['createMember'] });
    expect(await w.invoke([unlucky!])).toEqual([unlucky!.messageId]);
    expect(w.handedBack.get(unlucky!.receiptHandle)).toBe(1_000);
    env.simulator.setFaults(undefined);
    expect(await w.invoke([next!])).toEqual([]);
  });

  it('out of time after earlier events, starts nothing more and hands the rest back at once', async () => {
    const w = setup();
    const batch = hires(4, 2);
    // Each member created "takes" 5 s of an 8 s invocation (2 s kept for wrapping up): after the
    // first, a Meeting call (at least 2.5 s) no longer fits.
    const created = () => env.simulator.counters().calls.createMember ?? 0;
    const before = created();
    const remaining = () => Math.max(0, 8_000 - 5_000 * (created() - before));
    expect(await w.invoke(batch, 30_000, remaining)).toEqual(batch.slice(1).map((r) => r.messageId));
    expect(batch.map((r) => w.handedBack.get(r.receiptHandle))).toEqual([undefined, 0, 0, 0]);
    expect(created() - before).toBe(1);
    expect(w.warnings).toEqual([]);
    // The next invocation, with time, applies them.
    expect(await w.invoke(batch.slice(1))).toEqual([]);
  });

  it('an invocation too short for any Meeting call sends nothing and hands its events back after a growing delay, with a configuration warning', async () => {
    const w = setup();
    const batch = hires(3, 2);
    // 2.5 s left, 2 s kept for wrapping up: not even the shortest attempt (2 s + 0.5 s) fits.
    expect(await w.invoke(batch, 2_500)).toEqual(batch.map((r) => r.messageId));
    expect(env.simulator.counters().businessCalls).toBe(0);
    // Second receive: 1 s × 2 (jitter at its top), not 0: such a loop cannot burn 50 receives in a second.
    expect(batch.map((r) => w.handedBack.get(r.receiptHandle))).toEqual([2_000, 2_000, 2_000]);
    expect(w.warnings).toEqual([
      expect.stringMatching(/^configuration: .*MEETING_TIMEOUT_MS.*raise the worker function's timeout/),
    ]);
    // Received again, still too short: the delay grows with the receive count.
    const again = batch.map((r) => ({ ...r, attributes: { ...r.attributes, ApproximateReceiveCount: '3' } }));
    await w.invoke(again, 2_500);
    expect(again.map((r) => w.handedBack.get(r.receiptHandle))).toEqual([4_000, 4_000, 4_000]);
    expect(env.simulator.counters().businessCalls).toBe(0);
  });
});

describe('queue worker: MEETING_TIMEOUT_MS as long as the invocation or longer', () => {
  let long: LifecycleEnv;
  beforeAll(async () => {
    long = await startLifecycleEnv({ env: { MEETING_TIMEOUT_MS: '45000' } });
  });
  afterAll(() => long?.close());

  it.each([30_000, 45_000])(
    'a hire is applied in a %d ms invocation: the attempt is sent with its timeout cut to the time left',
    async (timeoutMs) => {
      const w = setup(fakeClock(Date.now()), {}, long);
      const [hire] = hires(1, 1);
      expect(await w.invoke([hire!], timeoutMs)).toEqual([]);
      expect(long.simulator.members().map((m) => m.thirdAccount)).toContain(hire!.attributes.MessageGroupId);
    },
  );
});
