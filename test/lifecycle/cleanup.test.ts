import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LifecycleSettings } from '../../lib/config/lifecycle-config.js';
import { EVENT_TYPES, type HrEvent } from '../../lib/events/schemas.js';
import { CLEANUP_LEASE, CLEANUP_LEASE_TTL_MS } from '../../lib/lifecycle/cleanup.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { CleanupAbortedError } from '../../lib/lifecycle/errors.js';
import { APPLYING_HOLD_MS } from '../../lib/lifecycle/reconcile.js';
import type { ApplyOptions } from '../../lib/lifecycle/types.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

/** As the worker does: apply, then send the disables the event queued as one batch call. */
const applyEvent = async (event: HrEvent, lifecycle: Lifecycle, options?: ApplyOptions) => {
  const result = await lifecycle.applyEvent(event, options);
  await lifecycle.flushPendingDisables();
  return result;
};

const DAY = 24 * 3600 * 1000;
let env: LifecycleEnv;
let now: number;
let deps: Lifecycle;
const events = createHrEventFactory({ idPrefix: 'cleanup' });
// The offboarding breaker has its own tests (circuit-breaker.test.ts); here it stays out of the way.
const guard = {
  maxDeletes: 50,
  maxDeletePercent: 100,
  guardMinCount: 10,
  breakerMaxCount: 100_000,
  breakerMaxPercent: 100,
};

const hire = (id: string, n: number) => applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, n)), deps);
const terminate = (id: string, n: number) =>
  applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, n)), deps);
const present = (id: string) => env.simulator.members().some((m) => m.thirdAccount === id);

const clock = { now: () => now };
const withSettings = (settings: Partial<LifecycleSettings>) =>
  env.with({ retentionDays: 30, dryRun: false, ...guard, ...settings }, { clock });

beforeEach(async () => {
  env = await startLifecycleEnv();
  now = Date.parse('2026-01-01T00:00:00Z');
  deps = withSettings({});
});
afterEach(() => env.close());

describe('runCleanup', () => {
  it('deletes only members disabled longer than the retention period', async () => {
    for (const n of [1, 2, 3]) await hire(`C${n}`, n);
    await terminate('C1', 1);
    now += 20 * DAY;
    await terminate('C2', 2);
    now += 11 * DAY;
    const report = await deps.runCleanup();
    expect(report.deleted).toEqual(['C1']);
    expect([present('C1'), present('C2'), present('C3')]).toEqual([false, true, true]);
    expect((await deps.context.store.getEmployee('C1'))?.status).toBe('deleted');
  });

  it('lists but deletes nothing in dry-run mode', async () => {
    await hire('D1', 1);
    await terminate('D1', 1);
    now += 31 * DAY;
    const report = await withSettings({ dryRun: true }).runCleanup();
    expect(report.wouldDelete).toEqual(['D1']);
    expect(report.deleted).toEqual([]);
    expect(present('D1')).toBe(true);
  });

  it('refuses a run that would delete more than the guard allows', async () => {
    for (let n = 1; n <= 6; n++) {
      await hire(`G${n}`, n);
      await terminate(`G${n}`, n);
    }
    now += 31 * DAY;
    const report = await withSettings({ maxDeletes: 5 }).runCleanup();
    expect(report.guard.allowed).toBe(false);
    expect(report.deleted).toEqual([]);
    expect(env.simulator.counters().calls.deleteMembers ?? 0).toBe(0);
    expect(env.simulator.members().filter((m) => String(m.thirdAccount).startsWith('G'))).toHaveLength(6);
  });

  it('refuses by share of managed members once past the small-run exemption', async () => {
    for (let n = 1; n <= 12; n++) await hire(`P${n}`, n);
    for (let n = 1; n <= 11; n++) await terminate(`P${n}`, n);
    now += 31 * DAY;
    const report = await withSettings({ maxDeletePercent: 50 }).runCleanup();
    expect(report.guard).toMatchObject({ allowed: false, wouldDelete: 11 });
  });

  it('aborts without deleting anything when the listing fails', async () => {
    await hire('F1', 1);
    await terminate('F1', 1);
    now += 31 * DAY;
    env.simulator.setFaults({ errorRate: 1, apis: ['listMembers'] });
    await expect(deps.runCleanup()).rejects.toBeInstanceOf(CleanupAbortedError);
    env.simulator.setFaults(undefined);
    expect(present('F1')).toBe(true);
  });

  it("disables again a leaver enabled outside this system, revokes a leaver's admin role, deletes neither yet", async () => {
    await hire('R1', 1);
    await terminate('R1', 1);
    await env.lifecycle.context.meeting.setMembersStatus(['R1'], 0);
    await hire('A1', 2);
    await terminate('A1', 2);
    await env.lifecycle.context.meeting.addAdmin('A1');
    now += 31 * DAY;
    const report = await deps.runCleanup();
    expect(report.deleted).toEqual([]);
    expect(report.skipped.map((s) => s.employeeId).sort()).toEqual(['A1', 'R1']);
    expect(present('R1') && present('A1')).toBe(true);
    expect(report.reconciled).toEqual({
      corrected: ['R1'],
      adminRevoked: ['A1'],
      adminGranted: [],
      failed: [],
    });
    expect(env.simulator.members().find((m) => m.thirdAccount === 'R1')?.status).toBe(1);
    expect(env.simulator.admins().some((a) => a.account === 'A1')).toBe(false);
    // The next run deletes both: they are now plain disabled members past retention.
    expect((await deps.runCleanup()).deleted.sort()).toEqual(['A1', 'R1']);
  });

  it('leaves alone a member whose event is still changing Meeting (its record is written after the calls)', async () => {
    await hire('F1', 1);
    await applyEvent(events(EVENT_TYPES.adminGranted, 'F1', sampleMember('F1', 1)), deps);
    // The termination writes the disabled member, then waits for its slow revoke.
    env.simulator.setFaults({ slowRate: 1, slowMs: 1_500, apis: ['deleteAdmins'] });
    const leaving = { ...sampleMember('F1', 1), title: 'Leaving' };
    const inFlight = applyEvent(events(EVENT_TYPES.terminated, 'F1', leaving), deps);
    const member = () => env.simulator.members().find((m) => m.thirdAccount === 'F1');
    await vi.waitFor(() => expect(member()?.status).toBe(1), { timeout: 30_000, interval: 20 });
    const report = await deps.runCleanup();
    await inFlight;
    env.simulator.setFaults(undefined);
    expect(report.reconciled?.corrected).toEqual([]);
    expect(member()).toMatchObject({ status: 1, title: 'Leaving', adminType: 2 });
    // Once the event's record is written, cleanup has nothing to put back.
    expect((await deps.runCleanup()).reconciled?.corrected).toEqual([]);
  });

  it('a mark left by an invocation that died mid-event stops holding cleanup off after APPLYING_HOLD_MS', async () => {
    await hire('F2', 2);
    await terminate('F2', 2);
    await deps.context.store.markApplying('F2', now);
    await env.lifecycle.context.meeting.setMembersStatus(['F2'], 0); // what the dead event left
    expect((await deps.runCleanup()).reconciled?.corrected).toEqual([]);
    now += APPLYING_HOLD_MS + 1;
    expect((await deps.runCleanup()).reconciled?.corrected).toEqual(['F2']);
    expect(env.simulator.members().find((m) => m.thirdAccount === 'F2')?.status).toBe(1);
  });

  it('puts back an admin role a late request changed, only where HR has spoken about the role', async () => {
    await hire('G1', 1);
    await applyEvent(events(EVENT_TYPES.adminGranted, 'G1', sampleMember('G1', 1)), deps);
    await hire('V1', 2);
    await applyEvent(events(EVENT_TYPES.adminGranted, 'V1', sampleMember('V1', 2)), deps);
    await applyEvent(events(EVENT_TYPES.adminRevoked, 'V1', sampleMember('V1', 2)), deps);
    await hire('H1', 3);
    // As if a grant and a revoke had timed out on our side and landed after the newer events;
    // H1's role is set by hand and HR never spoke about it.
    await env.lifecycle.context.meeting.deleteAdmins(['G1']);
    await env.lifecycle.context.meeting.addAdmin('V1');
    await env.lifecycle.context.meeting.addAdmin('H1');
    const report = await deps.runCleanup();
    expect(report.reconciled).toMatchObject({ adminGranted: ['G1'], adminRevoked: ['V1'], failed: [] });
    const admins = env.simulator.admins().map((a) => a.account);
    expect(admins).toContain('G1');
    expect(admins).not.toContain('V1');
    expect(admins).toContain('H1');
  });

  it('puts back fields and status that a late request changed after newer events', async () => {
    await hire('L1', 1);
    await applyEvent(events(EVENT_TYPES.updated, 'L1', sampleMember('L1', 1, { title: 'New' })), deps);
    await hire('L2', 2);
    // As if earlier requests had timed out on our side and landed on the server afterwards:
    await env.lifecycle.context.meeting.updateMember('L1', {
      name: 'Employee 1',
      title: 'Old',
      deptCode: '1',
    });
    await env.lifecycle.context.meeting.setMembersStatus(['L2'], 1);
    const report = await deps.runCleanup();
    expect(report.reconciled?.corrected.sort()).toEqual(['L1', 'L2']);
    expect(env.simulator.members().find((m) => m.thirdAccount === 'L1')).toMatchObject({
      title: 'New',
      status: 0,
    });
    expect(env.simulator.members().find((m) => m.thirdAccount === 'L2')?.status).toBe(0);
  });

  it('deletes in chunks of 100 (the batch delete limit)', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `B${i}`);
    // 300 events: applied ten at a time, the disables sent in one flush (two batch calls).
    const applyAll = async (type: typeof EVENT_TYPES.hired | typeof EVENT_TYPES.terminated) => {
      for (let start = 0; start < ids.length; start += 10) {
        await Promise.all(
          ids
            .slice(start, start + 10)
            .map((id, i) => deps.applyEvent(events(type, id, sampleMember(id, start + i)))),
        );
      }
    };
    await applyAll(EVENT_TYPES.hired);
    await applyAll(EVENT_TYPES.terminated);
    await deps.flushPendingDisables();
    expect(env.simulator.members().filter((m) => m.status === 1)).toHaveLength(150);
    now += 31 * DAY;
    env.simulator.resetCounters();
    const report = await withSettings({ maxDeletes: 1000 }).runCleanup();
    expect(report.deleted).toHaveLength(150);
    expect(env.simulator.counters().calls.deleteMembers).toBe(2);
    // 300 events and a cleanup run: seconds alone, longer beside other test runs.
  }, 120_000);
});

describe('effective-dated events', () => {
  it('stores a future termination and applies it when due, not before', async () => {
    await hire('S1', 1);
    const effectiveAt = new Date(now + 2 * DAY).toISOString();
    const result = await applyEvent(
      events(EVENT_TYPES.terminated, 'S1', sampleMember('S1', 1), { effectiveAt }),
      deps,
    );
    expect(result.outcome).toBe('scheduled');
    now += DAY;
    expect((await deps.applyDueActions()).applied).toHaveLength(0);
    expect(env.simulator.members().find((m) => m.thirdAccount === 'S1')?.status).toBe(0);
    now += DAY + 1;
    const due = await deps.applyDueActions();
    await deps.flushPendingDisables();
    expect(due.applied.map((a) => a.outcome)).toEqual(['disabled']);
    expect(env.simulator.members().find((m) => m.thirdAccount === 'S1')?.status).toBe(1);
    expect(await deps.context.store.listDueActions(now)).toHaveLength(0);
  });

  it('applies a due termination even after a newer profile update', async () => {
    await hire('S2', 2);
    const effectiveAt = new Date(now + DAY).toISOString();
    await applyEvent(events(EVENT_TYPES.terminated, 'S2', sampleMember('S2', 2), { effectiveAt }), deps);
    await applyEvent(
      events(EVENT_TYPES.updated, 'S2', sampleMember('S2', 2, { title: 'Notice period' })),
      deps,
    );
    now += DAY + 1;
    await deps.applyDueActions();
    await deps.flushPendingDisables();
    expect(env.simulator.members().find((m) => m.thirdAccount === 'S2')).toMatchObject({
      status: 1,
      title: 'Notice period',
    });
  });

  it('drops a future hire superseded by a later termination', async () => {
    const effectiveAt = new Date(now + DAY).toISOString();
    await applyEvent(events(EVENT_TYPES.hired, 'S3', sampleMember('S3', 3), { effectiveAt }), deps);
    await terminate('S3', 3);
    now += DAY + 1;
    const due = await deps.applyDueActions();
    expect(due.applied.map((a) => a.outcome)).toEqual(['stale']);
    expect(present('S3')).toBe(false);
  });
});

describe('runCleanup never overlaps another run', () => {
  const retired = async (prefix: string, count: number) => {
    for (let n = 1; n <= count; n++) {
      await hire(`${prefix}${n}`, n);
      await terminate(`${prefix}${n}`, n);
    }
    now += 31 * DAY;
  };

  it('of two concurrent runs, one does the work and the other returns at once without a Meeting call', async () => {
    await retired('L', 3);
    const before = env.simulator.counters().calls;
    const reports = await Promise.all([deps.runCleanup(), deps.runCleanup()]);
    const ran = reports.filter((r) => !r.overlapped);
    const skipped = reports.filter((r) => r.overlapped);
    expect([ran.length, skipped.length]).toEqual([1, 1]);
    expect(ran[0]!.deleted.sort()).toEqual(['L1', 'L2', 'L3']);
    expect(skipped[0]).toMatchObject({ deleted: [], wouldDelete: [], candidates: 0 });
    const after = env.simulator.counters().calls;
    // One listing and one batch delete: the second run never reached Meeting.
    expect((after.listMembers ?? 0) - (before.listMembers ?? 0)).toBe(1);
    expect((after.deleteMembers ?? 0) - (before.deleteMembers ?? 0)).toBe(1);
  });

  it('waits for nothing while another run holds the lease, and runs again once it is released', async () => {
    await retired('H', 1);
    const store = deps.context.offboarding;
    expect(await store.acquireLease(CLEANUP_LEASE, 'a-run-elsewhere', CLEANUP_LEASE_TTL_MS)).toBe(true);
    const held = await deps.runCleanup();
    expect(held.overlapped).toBe(true);
    expect(present('H1')).toBe(true);
    await store.releaseLease(CLEANUP_LEASE, 'a-run-elsewhere');
    const next = await deps.runCleanup();
    expect(next.overlapped).toBeUndefined();
    expect(next.deleted).toEqual(['H1']);
    // The run let go of its lease: someone else can take it at once.
    expect(await store.acquireLease(CLEANUP_LEASE, 'the-next-run', CLEANUP_LEASE_TTL_MS)).toBe(true);
  });
});
