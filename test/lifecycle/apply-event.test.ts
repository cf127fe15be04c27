import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type EventType, type HrEvent, type MemberFields } from '../../lib/events/schemas.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import type { ApplyOptions } from '../../lib/lifecycle/types.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

/** As the worker does: apply, then send the disables the event queued as one batch call. */
const applyEvent = async (event: HrEvent, lifecycle: Lifecycle, options?: ApplyOptions) => {
  const result = await lifecycle.applyEvent(event, options);
  await lifecycle.flushPendingDisables();
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
    const result = await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 1)), env.lifecycle);
    expect(result.outcome).toBe('created');
    expect(memberOf(id)?.status).toBe(0);
    expect(businessCalls()).toBe(1);
    expect((await env.lifecycle.context.store.getEmployee(id))?.status).toBe('active');
  });

  it('skips a redelivered event and an older event without calling Meeting', async () => {
    const id = nextId();
    const hire = events(EVENT_TYPES.hired, id, sampleMember(id, 2));
    const update = events(EVENT_TYPES.updated, id, sampleMember(id, 2, { title: 'New' }));
    await applyEvent(hire, env.lifecycle);
    await applyEvent(update, env.lifecycle);
    env.simulator.resetCounters();
    expect((await applyEvent(update, env.lifecycle)).outcome).toBe('duplicate');
    expect((await applyEvent(hire, env.lifecycle)).outcome).toBe('stale');
    expect(businessCalls()).toBe(0);
    expect(memberOf(id)?.title).toBe('New');
  });

  it('never lets a late hire undo a termination that arrived first', async () => {
    const id = nextId();
    const hire = events(EVENT_TYPES.hired, id, sampleMember(id, 3));
    const termination = events(EVENT_TYPES.terminated, id, sampleMember(id, 3));
    expect((await applyEvent(termination, env.lifecycle)).outcome).toBe('noop');
    expect((await applyEvent(hire, env.lifecycle)).outcome).toBe('stale');
    expect(memberOf(id)).toBeUndefined();
  });

  it('disables at once on termination and re-enables the same member on rehire', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 4)), env.lifecycle);
    const memberId = memberOf(id)?.id;
    expect(
      (await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, 4)), env.lifecycle)).outcome,
    ).toBe('disabled');
    expect(memberOf(id)?.status).toBe(1);
    const record = await env.lifecycle.context.store.getEmployee(id);
    expect(record?.status).toBe('disabled');
    expect(record?.disabledAt).toBeGreaterThan(0);
    expect(
      (await applyEvent(events(EVENT_TYPES.rehired, id, sampleMember(id, 4)), env.lifecycle)).outcome,
    ).toBe('enabled');
    expect(memberOf(id)).toMatchObject({ status: 0, id: memberId });
    expect(env.simulator.members().filter((m) => m.thirdAccount === id)).toHaveLength(1);
  });

  it('keeps a leaver disabled when a profile update arrives', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 5)), env.lifecycle);
    await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, 5)), env.lifecycle);
    await applyEvent(
      events(EVENT_TYPES.updated, id, sampleMember(id, 5, { title: 'Changed' })),
      env.lifecycle,
    );
    expect(memberOf(id)).toMatchObject({ status: 1, title: 'Changed' });
  });

  it('creates the member when an update arrives for someone unknown', async () => {
    const id = nextId();
    expect(
      (await applyEvent(events(EVENT_TYPES.updated, id, sampleMember(id, 6)), env.lifecycle)).outcome,
    ).toBe('created');
    expect(memberOf(id)?.status).toBe(0);
  });

  it('adopts a member that already exists with the same HR id instead of looping on already-exists', async () => {
    const id = nextId();
    await env.lifecycle.context.meeting.createMember({
      name: 'Pre-existing',
      account: id,
      thirdAccount: id,
      email: `${id}@corp.example`,
    });
    env.simulator.resetCounters();
    const result = await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 7)), env.lifecycle);
    expect(['adopted', 'updated']).toContain(result.outcome);
    expect(env.simulator.members().filter((m) => m.thirdAccount === id)).toHaveLength(1);
    expect(env.simulator.counters().calls.createMember).toBe(1);
  });

  it('refuses to take over an account that belongs to someone else', async () => {
    const id = nextId();
    await env.lifecycle.context.meeting.createMember({
      name: 'Other',
      account: id,
      thirdAccount: 'someone-else',
      email: 'x@corp.example',
    });
    await expect(
      applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 8)), env.lifecycle),
    ).rejects.toMatchObject({
      name: 'MemberConflictError',
    });
    expect(await env.lifecycle.context.store.getEmployee(id)).toBeUndefined();
  });

  it('grants and revokes the enterprise admin role', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, 9)), env.lifecycle);
    expect(
      (await applyEvent(events(EVENT_TYPES.adminGranted, id, sampleMember(id, 9)), env.lifecycle)).outcome,
    ).toBe('adminGranted');
    expect(env.simulator.admins().some((a) => a.account === id)).toBe(true);
    expect((await env.lifecycle.context.store.getEmployee(id))?.isAdmin).toBe(true);
    await applyEvent(events(EVENT_TYPES.adminRevoked, id, sampleMember(id, 9)), env.lifecycle);
    expect(env.simulator.admins().some((a) => a.account === id)).toBe(false);
  });

  it('revokes admin rights when an admin leaves', async () => {
    const id = nextId();
    await applyEvent(events(EVENT_TYPES.adminGranted, id, sampleMember(id, 10)), env.lifecycle);
    await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, 10)), env.lifecycle);
    expect(env.simulator.admins().some((a) => a.account === id)).toBe(false);
    expect(memberOf(id)?.status).toBe(1);
  });
});

/** Delivers events in the given order, as the worker would, and returns the member in Meeting. */
const deliver = async (order: readonly HrEvent[]) => {
  for (const event of order) await applyEvent(event, env.lifecycle);
};
const history = (id: string, steps: readonly [EventType, Partial<MemberFields>?][]): HrEvent[] =>
  steps.map(([type, fields], i) => ({
    id: `${id}-v${i + 1}`,
    type,
    employeeId: id,
    version: i + 1,
    member: sampleMember(id, 50, fields),
  })) as HrEvent[];
const isAdmin = (id: string) => env.simulator.admins().some((a) => a.account === id);

describe('convergence regardless of delivery order (issues 9 and 15)', () => {
  it('a history delivered fully out of order keeps the rehire (v2, v4, v3, v1)', async () => {
    const id = nextId();
    const [hired, terminated, rehired, updated] = history(id, [
      [EVENT_TYPES.hired],
      [EVENT_TYPES.terminated],
      [EVENT_TYPES.rehired],
      [EVENT_TYPES.updated, { title: 'After rehire' }],
    ]);
    await deliver([terminated!, updated!, rehired!, hired!]);
    expect(memberOf(id)).toMatchObject({ status: 0, title: 'After rehire' });
    expect((await env.lifecycle.context.store.getEmployee(id))?.status).toBe('active');
  });

  it('an admin grant is not dropped because a newer profile update arrived first (v3, v2, v1)', async () => {
    const id = nextId();
    const [hired, granted, updated] = history(id, [
      [EVENT_TYPES.hired],
      [EVENT_TYPES.adminGranted],
      [EVENT_TYPES.updated, { title: 'Manager' }],
    ]);
    await deliver([updated!, granted!, hired!]);
    expect(isAdmin(id)).toBe(true);
    expect(memberOf(id)).toMatchObject({ status: 0, title: 'Manager' });
  });

  it('an admin event that advances the profile also applies it (v1, v4, v3, v2)', async () => {
    const id = nextId();
    const [hired, update2, update3, granted] = history(id, [
      [EVENT_TYPES.hired, { title: 'Engineer' }],
      [EVENT_TYPES.updated, { title: 'Senior' }],
      [EVENT_TYPES.updated, { title: 'Analyst' }],
      [EVENT_TYPES.adminGranted, { title: 'Analyst' }],
    ]);
    await deliver([hired!, granted!, update3!, update2!]);
    expect(isAdmin(id)).toBe(true);
    expect(memberOf(id)).toMatchObject({ status: 0, title: 'Analyst' });
  });

  it('a termination always removes the admin role, and a rehire does not restore it', async () => {
    const id = nextId();
    const [hired, granted, terminated, rehired] = history(id, [
      [EVENT_TYPES.hired],
      [EVENT_TYPES.adminGranted],
      [EVENT_TYPES.terminated],
      [EVENT_TYPES.rehired],
    ]);
    await deliver([hired!, terminated!, granted!]);
    expect(isAdmin(id)).toBe(false);
    expect(memberOf(id)?.status).toBe(1);
    await deliver([rehired!]);
    expect(memberOf(id)?.status).toBe(0);
    expect(isAdmin(id)).toBe(false);
  });

  it('an update that states the employee left also ends the role: a later rehire does not restore it (every order)', async () => {
    const orders = [
      [0, 1, 2, 3],
      [3, 2, 1, 0],
      [2, 0, 3, 1],
      [1, 3, 0, 2],
    ];
    for (const order of orders) {
      const id = nextId();
      const [hired, granted, leaving, rehired] = history(id, [
        [EVENT_TYPES.hired],
        [EVENT_TYPES.adminGranted],
        [EVENT_TYPES.updated],
        [EVENT_TYPES.rehired],
      ]);
      const all = [hired!, granted!, { ...leaving!, status: 'terminated' } as HrEvent, rehired!];
      await deliver(order.map((i) => all[i]!));
      expect(memberOf(id)?.status, `order ${order}`).toBe(0);
      expect(isAdmin(id), `order ${order}`).toBe(false);
    }
  });

  it('an event that states the status decides it, whatever its type', async () => {
    const id = nextId();
    const [hired, leaving] = history(id, [[EVENT_TYPES.hired], [EVENT_TYPES.updated, { title: 'Leaving' }]]);
    await deliver([{ ...leaving!, status: 'terminated' } as HrEvent, hired!]);
    expect(memberOf(id)).toBeUndefined();
    expect((await env.lifecycle.context.store.getEmployee(id))?.hr.employment?.value).toBe('terminated');
  });

  it('clears a field the newest profile no longer has, whatever order the older ones came in', async () => {
    const id = nextId();
    const [hired, updated] = history(id, [
      [EVENT_TYPES.hired, { title: 'Engineer', englishName: 'Ana' }],
      [EVENT_TYPES.updated, { title: undefined, englishName: undefined }],
    ]);
    await deliver([hired!, updated!]);
    const member = env.simulator.members().find((m) => m.thirdAccount === id);
    expect(member?.title ?? undefined).toBeUndefined();
    expect(member?.englishName ?? undefined).toBeUndefined();
  });
});
