import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { applyEvent as applyLifecycleEvent } from '../../lib/lifecycle/apply-event.js';
import { flushPendingDisables } from '../../lib/lifecycle/offboarding.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

/** As the worker does: apply, then send the disables the event queued as one batch call. */
const applyEvent: typeof applyLifecycleEvent = async (event, deps, options) => {
  const result = await applyLifecycleEvent(event, deps, options);
  await flushPendingDisables(deps);
  return result;
};

let env: LifecycleEnv;
let seq = 0;
const nextId = () => `T${++seq}`;
const events = createHrEventFactory({ idPrefix: 'apply' });

const memberOf = (employeeId: string) =>
  env.simulator.members().find((m) => m.thirdAccount === employeeId) as
    | { status: number; title?: string; id: string }
    | undefined;
const businessCalls = () => env.simulator.counters().businessCalls;

beforeAll(async () => {
  env = await startLifecycleEnv();
});
afterAll(() => env.close());
beforeEach(() => env.simulator.resetCounters());

describe('applyEvent', () => {
  it('creates a member for a hire with exactly one Meeting call', async () => {
    const id = nextId();
    const result = await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 1)), env.deps);
    expect(result.outcome).toBe('created');
    expect(memberOf(id)?.status).toBe(0);
    expect(businessCalls()).toBe(1);
    expect((await env.deps.store.getEmployee(id))?.status).toBe('active');
  });

  it('skips a redelivered event and an older event without calling Meeting', async () => {
    const id = nextId();
    const hire = events(EVENT_TYPES.hired, id, sampleMember(id, 2));
    const update = events(EVENT_TYPES.updated, id, sampleMember(id, 2, { title: 'New' }));
    await applyEvent(hire, env.deps);
    await applyEvent(update, env.deps);
    env.simulator.resetCounters();
    expect((await applyEvent(update, env.deps)).outcome).toBe('duplicate');
    expect((await applyEvent(hire, env.deps)).outcome).toBe('stale');
    expect(businessCalls()).toBe(0);
    expect(memberOf(id)?.title).toBe('New');
  });

  it('never lets a late hire undo a termination that arrived first', async () => {
    const id = nextId();
    const hire = events(EVENT_TYPES.hired, id, sampleMember(id, 3));
    const termination = events(EVENT_TYPES.terminated, id, sampleMember(id, 3));
    expect((await applyEvent(termination, env.deps)).outcome).toBe('noop');
    expect((await applyEvent(hire, env.deps)).outcome).toBe('stale');
    expect(memberOf(id)).toBeUndefined();
  });

  it('disables at once on termination and re-enables the same member on rehire', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 4)), env.deps);
    const memberId = memberOf(id)?.id;
    expect(
      (await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, 4)), env.deps)).outcome,
    ).toBe('disabled');
    expect(memberOf(id)?.status).toBe(1);
    const record = await env.deps.store.getEmployee(id);
    expect(record?.status).toBe('disabled');
    expect(record?.disabledAt).toBeGreaterThan(0);
    expect((await applyEvent(events(EVENT_TYPES.rehired, id, sampleMember(id, 4)), env.deps)).outcome).toBe(
      'enabled',
    );
    expect(memberOf(id)).toMatchObject({ status: 0, id: memberId });
    expect(env.simulator.members().filter((m) => m.thirdAccount === id)).toHaveLength(1);
  });

  it('keeps a leaver disabled when a profile update arrives', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 5)), env.deps);
    await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, 5)), env.deps);
    await applyEvent(events(EVENT_TYPES.updated, id, sampleMember(id, 5, { title: 'Changed' })), env.deps);
    expect(memberOf(id)).toMatchObject({ status: 1, title: 'Changed' });
  });

  it('creates the member when an update arrives for someone unknown', async () => {
    const id = nextId();
    expect((await applyEvent(events(EVENT_TYPES.updated, id, sampleMember(id, 6)), env.deps)).outcome).toBe(
      'created',
    );
    expect(memberOf(id)?.status).toBe(0);
  });

  it('adopts a member that already exists with the same HR id instead of looping on already-exists', async () => {
    const id = nextId();
    await env.deps.meeting.createMember({
      name: 'Pre-existing',
      account: id,
      thirdAccount: id,
      email: `${id}@corp.example`,
    });
    env.simulator.resetCounters();
    const result = await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 7)), env.deps);
    expect(['adopted', 'updated']).toContain(result.outcome);
    expect(env.simulator.members().filter((m) => m.thirdAccount === id)).toHaveLength(1);
    expect(env.simulator.counters().calls.createMember).toBe(1);
  });

  it('refuses to take over an account that belongs to someone else', async () => {
    const id = nextId();
    await env.deps.meeting.createMember({
      name: 'Other',
      account: id,
      thirdAccount: 'someone-else',
      email: 'x@corp.example',
    });
    await expect(
      applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 8)), env.deps),
    ).rejects.toMatchObject({
      name: 'MemberConflictError',
    });
    expect(await env.deps.store.getEmployee(id)).toBeUndefined();
  });

  it('grants and revokes the enterprise admin role', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 9)), env.deps);
    expect(
      (await applyEvent(events(EVENT_TYPES.adminGranted, id, sampleMember(id, 9)), env.deps)).outcome,
    ).toBe('adminGranted');
    expect(env.simulator.admins().some((a) => a.account === id)).toBe(true);
    expect((await env.deps.store.getEmployee(id))?.isAdmin).toBe(true);
    await applyEvent(events(EVENT_TYPES.adminRevoked, id, sampleMember(id, 9)), env.deps);
    expect(env.simulator.admins().some((a) => a.account === id)).toBe(false);
  });

  it('revokes admin rights when an admin leaves', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.adminGranted, id, sampleMember(id, 10)), env.deps);
    await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, 10)), env.deps);
    expect(env.simulator.admins().some((a) => a.account === id)).toBe(false);
    expect(memberOf(id)?.status).toBe(1);
  });
});
