import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { FLUSH_LEASE } from '../../lib/lifecycle/offboarding.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

let env: LifecycleEnv;
let lifecycle: Lifecycle;
const events = createHrEventFactory({ idPrefix: 'offboard' });
const offboarding = () => lifecycle.context.offboarding;
const hire = (id: string, n = 0) => lifecycle.applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, n)));
const terminate = (id: string, n = 0) =>
  lifecycle.applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, n)));
const rehire = (id: string) => lifecycle.applyEvent(events(EVENT_TYPES.rehired, id, sampleMember(id, 0)));
const statusOf = (id: string) => env.simulator.members().find((m) => m.thirdAccount === id)?.status;
const disableCalls = () => env.simulator.counters().calls.setMembersStatus ?? 0;
const inGroups = async (ids: readonly string[], apply: (id: string, n: number) => Promise<unknown>) => {
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(ids.slice(i, i + 20).map((id, j) => apply(id, i + j)));
  }
};

beforeEach(async () => {
  env = await startLifecycleEnv();
  // The circuit breaker has its own tests (circuit-breaker.test.ts); here it stays out of the way.
  lifecycle = env.with({ breakerMaxCount: 100_000, breakerMaxPercent: 100, guardMinCount: 100_000 });
});
afterEach(() => env.close());

describe('coalesced disables', () => {
  it('sends a burst as batch calls of 100 and leaves nothing pending', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => `B${i}`);
    await inGroups(ids, hire);
    await inGroups(ids, terminate);
    expect(await offboarding().pendingAmong(ids)).toEqual(new Set(ids));
    env.simulator.resetCounters();

    const result = await lifecycle.flushPendingDisables();
    expect(result).toEqual({ flushed: 201, calls: 3, incomplete: false });
    expect(disableCalls()).toBe(3);
    expect(ids.filter((id) => statusOf(id) !== 1)).toEqual([]);
    expect(await offboarding().pendingAmong(ids)).toEqual(new Set());
    expect(await offboarding().listPendingDisables(1_000)).toEqual([]);
  });

  it('sends a lone termination in one call', async () => {
    await hire('L1');
    await terminate('L1');
    env.simulator.resetCounters();
    expect(await lifecycle.flushPendingDisables()).toEqual({ flushed: 1, calls: 1, incomplete: false });
    expect(statusOf('L1')).toBe(1);
  });

  it('never disables someone rehired before the flush', async () => {
    await hire('R1');
    await hire('R2');
    await terminate('R1');
    await terminate('R2');
    await rehire('R1');
    expect(await offboarding().pendingAmong(['R1', 'R2'])).toEqual(new Set(['R2']));
    await lifecycle.flushPendingDisables();
    expect(statusOf('R1')).toBe(0);
    expect(statusOf('R2')).toBe(1);
  });

  it('makes a rehire wait for a batch call in progress (the flush lease)', async () => {
    await hire('W1');
    await terminate('W1');
    expect(await offboarding().acquireLease(FLUSH_LEASE, 'a-flusher', 30_000)).toBe(true);
    let rehired = false;
    const rehiring = rehire('W1').then(() => {
      rehired = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rehired).toBe(false);
    await offboarding().releaseLease(FLUSH_LEASE, 'a-flusher');
    await rehiring;
    expect(await offboarding().pendingAmong(['W1'])).toEqual(new Set());
    await lifecycle.flushPendingDisables();
    expect(statusOf('W1')).toBe(0);
  });

  it('still sends the others when one account no longer exists', async () => {
    for (const id of ['G1', 'G2', 'G3']) await hire(id);
    for (const id of ['G1', 'G2', 'G3']) await terminate(id);
    await lifecycle.context.meeting.deleteMembers(['G2']);
    const result = await lifecycle.flushPendingDisables();
    expect(result.flushed).toBe(3);
    expect([statusOf('G1'), statusOf('G3')]).toEqual([1, 1]);
    expect(await offboarding().pendingAmong(['G1', 'G2', 'G3'])).toEqual(new Set());
  });

  it('drains pending disables stored in the previous layout (sk = employee id)', async () => {
    const ids = ['O1', 'O2', 'O3'];
    for (const id of ids) await hire(id);
    for (const [n, id] of ids.entries()) {
      await env.dynamo.doc.send(
        new PutCommand({
          TableName: env.dynamo.tableName,
          Item: {
            pk: 'OFFBOARD#pending-disable',
            sk: id,
            type: 'pending-disable',
            employeeId: id,
            account: id,
            eventId: `old-${id}`,
            requestedAt: Date.now() - n,
          },
        }),
      );
    }
    expect(await offboarding().pendingAmong(ids)).toEqual(new Set(ids));
    env.simulator.resetCounters();
    expect(await lifecycle.flushPendingDisables()).toEqual({ flushed: 3, calls: 1, incomplete: false });
    expect(ids.map(statusOf)).toEqual([1, 1, 1]);
    expect(await offboarding().peekPendingDisables(10)).toEqual([]);
  });
});
