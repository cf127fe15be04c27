import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LifecycleSettings } from '../../lib/config/lifecycle-config.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

const DAY = 24 * 3600 * 1000;
let env: LifecycleEnv;
let deps: Lifecycle;
let now: number;
const events = createHrEventFactory({ idPrefix: 'breaker' });
const ids = Array.from({ length: 10 }, (_, i) => `M${i}`);
const enabled = () =>
  env.simulator.members().filter((m) => ids.includes(String(m.thirdAccount)) && m.status === 0).length;

const offboardAll = async () => {
  const outcomes: string[] = [];
  for (const [n, id] of ids.entries()) {
    outcomes.push((await deps.applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, n)))).outcome);
  }
  await deps.flushPendingDisables();
  return outcomes;
};

const withBreaker = (settings: Partial<LifecycleSettings>) =>
  env.with(
    {
      breakerMaxCount: 3,
      breakerMaxPercent: 100,
      guardMinCount: 1000,
      breakerWindowMinutes: 60,
      ...settings,
    },
    { clock: { now: () => now } },
  );

beforeEach(async () => {
  env = await startLifecycleEnv();
  now = Date.parse('2026-03-01T00:00:00Z');
  deps = withBreaker({});
  for (const [n, id] of ids.entries())
    await deps.applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, n)));
});
afterEach(() => env.close());

describe('mass-offboarding circuit breaker', () => {
  it('stages disables beyond the limit, lists them, and applies them only on approval', async () => {
    const outcomes = await offboardAll();
    expect(outcomes.filter((o) => o === 'disabled')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'staged')).toHaveLength(7);
    expect(enabled()).toBe(7);

    const stage = await deps.describeStage();
    expect(stage?.breaker.reason).toMatch(/exceed 3/);
    expect(stage?.actions.map((a) => a.employeeId).sort()).toEqual(ids.slice(3).sort());

    const approved = await deps.approveStage(stage!.breaker.stageId);
    expect(approved.disables.map((d) => d.outcome)).toEqual(Array(7).fill('disabled'));
    expect(enabled()).toBe(0);
    expect(await deps.describeStage()).toBeUndefined();
  });

  it('drops staged disables on rejection and leaves those people enabled', async () => {
    await offboardAll();
    const stage = await deps.describeStage();
    now += 60_000; // the operator decides a minute later
    expect(await deps.rejectStage(stage!.breaker.stageId)).toEqual({ dropped: 7 });
    expect(enabled()).toBe(7);
    expect(await deps.describeStage()).toBeUndefined();
    expect((await deps.context.store.getEmployee('M9'))?.status).toBe('active');
    // Each employee's history ends in the rejection, not in a stage that is gone.
    const stageId = stage!.breaker.stageId;
    const last = (await deps.context.store.listAudit('M9')).at(-1);
    expect(last).toMatchObject({
      outcome: 'rejected',
      type: 'employee.terminated',
      reason: `the staged disable was dropped: an operator rejected ${stageId}`,
      source: 'approval',
    });
    expect((await deps.context.store.listAudit('M9')).map((e) => e.outcome)).toEqual([
      'created',
      'staged',
      'rejected',
    ]);
  });

  it('does not disable someone rehired after their termination was staged', async () => {
    await offboardAll();
    now += 1;
    await deps.applyEvent(events(EVENT_TYPES.rehired, 'M9', sampleMember('M9', 9)));
    await deps.approveStage((await deps.describeStage())!.breaker.stageId);
    expect(env.simulator.members().find((m) => m.thirdAccount === 'M9')?.status).toBe(0);
  });

  it('stages a mass deletion found by cleanup until approved', async () => {
    deps = withBreaker({ breakerMaxCount: 1000, maxDeletes: 5 });
    await offboardAll();
    now += 31 * DAY;
    const report = await deps.runCleanup();
    expect(report.stageId).toBeDefined();
    expect(report.deleted).toEqual([]);
    expect(env.simulator.members().filter((m) => ids.includes(String(m.thirdAccount)))).toHaveLength(10);

    const stage = await deps.describeStage();
    expect(stage?.actions.filter((a) => a.kind === 'delete')).toHaveLength(10);
    const approved = await deps.approveStage(report.stageId!);
    expect(approved.deleted).toHaveLength(10);
    expect(env.simulator.members().filter((m) => ids.includes(String(m.thirdAccount)))).toHaveLength(0);
  });
});
