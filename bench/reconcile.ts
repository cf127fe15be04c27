import type { RosterRow } from '../lib/events/roster.js';
import { applyRosterPlan, changesOf, planRoster } from '../lib/lifecycle/roster-sync.js';
import { sampleMember } from '../local/hr-event-factory.js';
import { startLifecycleEnv } from '../local/lifecycle-env.js';
import { elapsed, exactly, fmt, inSection, type Row, throughput } from './support.js';

/**
 * Initial load (docs/operations.md): a roster of `rows` employees against a tenant where one in
 * ten already has a member made by hand (matched by e-mail and adopted), the rest created.
 * Plan (one complete listing + batch reads of our records), apply (through the lifecycle, as
 * events would), then plan again, which must be empty.
 */
export const benchReconcile = async (options: { rows: number }): Promise<Row[]> => {
  const env = await startLifecycleEnv();
  try {
    const lifecycle = env.lifecycle;
    const rows: RosterRow[] = Array.from({ length: options.rows }, (_, i) => {
      const employeeId = `R${String(i).padStart(5, '0')}`;
      return { line: i + 2, employeeId, status: 'active', admin: false, member: sampleMember(employeeId, i) };
    });
    const adopted = rows.filter((_, i) => i % 10 === 0);
    for (const row of adopted) {
      await lifecycle.context.meeting.createMember({
        name: `Hand ${row.employeeId}`,
        account: `hand.${row.employeeId.toLowerCase()}`,
        email: row.member.email!,
        sendNotify: '0',
      });
    }
    env.simulator.resetCounters();
    const plan = await elapsed(() => planRoster(lifecycle.context, rows));
    const planCalls = env.simulator.counters().businessCalls;
    env.simulator.resetCounters();
    const applied = await elapsed(() => applyRosterPlan(lifecycle.context, plan.result));
    const applyCalls = env.simulator.counters().businessCalls;
    const again = await elapsed(() => planRoster(lifecycle.context, rows));
    const section = `reconcile: ${fmt(options.rows, 0)} roster rows, ${fmt(adopted.length, 0)} adopted`;
    const duplicates = env.simulator.members().length - 1 - options.rows; // the default admin
    return inSection(section, [
      throughput('plan', options.rows, plan, 'rows/s'),
      throughput('apply (create, or adopt and update)', options.rows, applied, 'rows/s'),
      throughput('plan again (nothing to do)', options.rows, again, 'rows/s'),
      { metric: 'Meeting calls to plan (listing pages)', value: planCalls, unit: 'calls', digits: 0 },
      {
        metric: 'Meeting calls to apply',
        value: applyCalls / options.rows,
        unit: 'calls/row',
        digits: 2,
        goal: exactly(1),
      },
      {
        metric: 'changes left by the second plan',
        value: changesOf(again.result).length,
        unit: 'actions',
        goal: exactly(0),
      },
      {
        metric: 'failed rows / duplicate members',
        value: applied.result.failed.length + duplicates,
        unit: 'rows',
        goal: exactly(0),
      },
    ]);
  } finally {
    await env.close();
  }
};
