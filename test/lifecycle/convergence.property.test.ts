import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { viewToMember } from '../../chaos/compare.js';
import { hrTruth, meetsHr } from '../../chaos/model.js';
import { EVENT_TYPES, type EventType, type HrEvent, TYPE_IMPLIES } from '../../lib/events/schemas.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

/**
 * Model-based property (per-aspect convergence): random per-employee histories, delivered in a
 * random order with duplicates, some effective in the future, end in the state the newest
 * version of each aspect says, in Meeting (the simulator) and in our records (dynalite).
 * The oracle (chaos/model.ts) is computed from the events alone.
 */

const DAY = 24 * 3600 * 1000;
const START = Date.parse('2026-06-01T00:00:00Z');
const TYPES = Object.values(EVENT_TYPES);

interface Draft {
  readonly type: EventType;
  readonly title: string;
  readonly englishName?: string;
  readonly withPhone: boolean;
  readonly status?: 'active' | 'terminated';
  readonly admin?: boolean;
  /** Days after START the event takes effect (0 = now). */
  readonly dueInDays: number;
}

/** A stated status/admin is either absent or consistent with the type (inconsistent ones are refused at intake). */
const draft: fc.Arbitrary<Draft> = fc
  .record({
    type: fc.constantFrom(...TYPES),
    title: fc.constantFrom('Engineer', 'Analyst', 'Lead', ''),
    englishName: fc.option(fc.constantFrom('Ana', 'Bo'), { nil: undefined }),
    withPhone: fc.boolean(),
    statusPick: fc.constantFrom<'none' | 'active' | 'terminated'>('none', 'none', 'active', 'terminated'),
    adminPick: fc.constantFrom<'none' | 'true' | 'false'>('none', 'none', 'true', 'false'),
    dueInDays: fc.oneof(
      { weight: 4, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) },
    ),
  })
  .map(({ statusPick, adminPick, ...d }) => {
    const implied = TYPE_IMPLIES[d.type];
    let status = statusPick === 'none' ? undefined : statusPick;
    let admin = adminPick === 'none' ? undefined : adminPick === 'true';
    if (implied.status !== undefined && status !== implied.status) status = undefined;
    if (implied.admin !== undefined && admin !== implied.admin) admin = undefined;
    if ((status ?? implied.status) === 'terminated' && (admin ?? implied.admin) === true) {
      if (implied.admin === true) status = undefined;
      else admin = undefined;
    }
    return { ...d, ...(status && { status }), ...(admin !== undefined && { admin }) };
  });

let run = 0;

const toEvents = (employeeId: string, drafts: readonly Draft[]): HrEvent[] =>
  drafts.map((d, i) => ({
    id: `${employeeId}-v${i + 1}`,
    type: d.type,
    employeeId,
    version: i + 1,
    ...(d.dueInDays > 0 && { effectiveAt: new Date(START + d.dueInDays * DAY).toISOString() }),
    ...(d.status && { status: d.status }),
    ...(d.admin !== undefined && { admin: d.admin }),
    member: {
      name: `Employee ${employeeId}`,
      email: `${employeeId.toLowerCase()}@corp.example`,
      ...(d.withPhone && { phone: '+8613800000000', country: 'chinaPR' }),
      ...(d.englishName && { englishName: d.englishName }),
      ...(d.title && { title: d.title }),
    },
  })) as HrEvent[];

/** A history of 1-3 employees, every event delivered once in a random order, some twice. */
const scenario = fc
  .array(fc.array(draft, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 })
  .chain((histories) => {
    run += 1;
    const employees = histories.map((drafts, i) => {
      const employeeId = `P${run}x${i}`;
      return { employeeId, events: toEvents(employeeId, drafts) };
    });
    const all = employees.flatMap((e) => e.events);
    return fc
      .tuple(fc.shuffledSubarray(all, { minLength: all.length }), fc.subarray(all))
      .chain(([order, again]) =>
        fc.shuffledSubarray([...order, ...again], { minLength: order.length + again.length }),
      )
      .map((arrivals) => ({ employees, arrivals }));
  });

let env: LifecycleEnv;
let now = START;
let lifecycle: Lifecycle;

beforeAll(async () => {
  env = await startLifecycleEnv();
  lifecycle = env.with(
    { breakerMaxCount: 1_000_000, breakerMaxPercent: 100, guardMinCount: 1_000_000 },
    { clock: { now: () => now } },
  );
});
afterAll(() => env.close());

describe('per-aspect convergence (model-based)', () => {
  it('ends where the newest version of each aspect says, whatever the order, duplicates and effective dates', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ employees, arrivals }) => {
        now = START;
        // As the worker does: apply, then send the disables it queued.
        for (const event of arrivals) {
          await lifecycle.applyEvent(event);
          await lifecycle.flushPendingDisables();
        }
        // As the schedule does once everything is due.
        now = START + 10 * DAY;
        const due = await lifecycle.applyDueActions();
        expect(due.failed).toEqual([]);
        await lifecycle.flushPendingDisables();

        const members = env.simulator.members();
        for (const { employeeId, events } of employees) {
          const view = members.find((m) => m.thirdAccount === employeeId);
          const actual = view && viewToMember(view);
          const truth = hrTruth(events)!;
          expect(
            meetsHr(events, actual),
            `${employeeId} in Meeting: ${JSON.stringify({ truth, actual })}`,
          ).toBe(true);
          const record = await lifecycle.context.store.getEmployee(employeeId);
          const newestVersion = Math.max(...events.map((e) => e.version));
          expect(record?.hr.profile?.version, `${employeeId} profile version`).toBe(newestVersion);
          expect(record?.profileApplied === newestVersion || record?.status === 'deleted').toBe(true);
          expect(record?.status, `${employeeId} record status`).toBe(
            truth.terminated ? (actual ? 'disabled' : 'deleted') : 'active',
          );
          expect(record?.isAdmin, `${employeeId} record admin`).toBe(truth.admin);
        }
      }),
      { numRuns: 200 },
    );
  });
});
