import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { applyEvent } from '../../lib/lifecycle/apply-event.js';
import { runCleanup } from '../../lib/lifecycle/cleanup.js';
import { flushPendingDisables } from '../../lib/lifecycle/offboarding.js';
import { approveStage, describeStage, rejectStage } from '../../lib/lifecycle/stages.js';
import type { LifecycleDeps } from '../../lib/lifecycle/types.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

const DAY = 24 * 3600 * 1000;
let env: LifecycleEnv;
let deps: LifecycleDeps;
let now: number;
const events = createHrEventFactory({ idPrefix: 'breaker' });
const ids = Array.from({ length: 10 }, (_, i) => `M${i}`);
const enabled = () =>
  env.simulator.members().filter((m) => ids.includes(String(m.thirdAccount)) && m.status === 0).length;

const offboardAll = async () => {
  const outcomes: string[] = [];
  for (const [n, id] of ids.entries()) {
    outcomes.push((await applyEvent(events(EVENT_TYPES.terminated, id, sampleMember(id, n)), deps)).outcome);
  }
  await flushPendingDisables(deps);
  return outcomes;
};

beforeEach(async () => {
  env = await startLifecycleEnv();
  now = Date.parse('2026-03-01T00:00:00Z');
  deps = env.with(
    { breakerMaxCount: 3, breakerMaxPercent: 100, guardMinCount: 1000, breakerWindowMinutes: 60 },
    { clock: { now: () => now } },
  );
  for (const [n, id] of ids.entries())
    await applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, n)), deps);
});
afterEach(() => env.close());

describe('mass-offboarding circuit breaker', () => {
  it('stages disables beyond the limit, lists them, and applies them only on approval', async () => {
    const outcomes = await offboardAll();
    expect(outcomes.filter((o) => o === 'disabled')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'staged')).toHaveLength(7);
    expect(enabled()).toBe(7);

    const stage = await describeStage(deps);
    expect(stage?.breaker.reason).toMatch(/exceed 3/);
    expect(stage?.actions.map((a) => a.employeeId).sort()).toEqual(ids.slice(3).sort());

    const approved = await approveStage(deps, stage!.breaker.stageId);
    expect(approved.disables.map((d) => d.outcome)).toEqual(Array(7).fill('disabled'));
    expect(enabled()).toBe(0);
    expect(await describeStage(deps)).toBeUndefined();
  });

  it('drops staged disables on rejection and leaves those people enabled', async () => {
    await offboardAll();
    const stage = await describeStage(deps);
    expect(await rejectStage(deps, stage!.breaker.stageId)).toEqual({ dropped: 7 });
    expect(enabled()).toBe(7);
    expect(await describeStage(deps)).toBeUndefined();
    expect((await deps.store.getEmployee('M9'))?.status).toBe('active');
  });

  it('does not disable someone rehired after their termination was staged', async () => {
    await offboardAll();
    now += 1;
    await applyEvent(events(EVENT_TYPES.rehired, 'M9', sampleMember('M9', 9)), deps);
    await approveStage(deps, (await describeStage(deps))!.breaker.stageId);
    expect(env.simulator.members().find((m) => m.thirdAccount === 'M9')?.status).toBe(0);
  });

  it('stages a mass deletion found by cleanup until approved', async () => {
    deps = { ...deps, settings: { ...deps.settings, breakerMaxCount: 1000, maxDeletes: 5 } };
    await offboardAll();
    now += 31 * DAY;
    const report = await runCleanup(deps);
    expect(report.stageId).toBeDefined();
    expect(report.deleted).toEqual([]);
    expect(env.simulator.members().filter((m) => ids.includes(String(m.thirdAccount)))).toHaveLength(10);

    const stage = await describeStage(deps);
    expect(stage?.actions.filter((a) => a.kind === 'delete')).toHaveLength(10);
    const approved = await approveStage(deps, report.stageId!);
    expect(approved.deleted).toHaveLength(10);
    expect(env.simulator.members().filter((m) => ids.includes(String(m.thirdAccount)))).toHaveLength(0);
  });
});
