import { EVENT_TYPES } from '../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import { startLocalStack } from '../local/stack.js';
import { postSignedWebhook } from '../local/webhook-client.js';
import { elapsed, fmt, type Row, runPool } from './support.js';

/**
 * Issue 5's mass offboarding: `people` terminations posted within seconds through the real
 * path, then cleanup deleting them (retention 0). Calls per offboarded person are compared with
 * a baseline measured in the same run: the same terminations applied without the pending-disable
 * buffer (one status call per person), as a naive worker would.
 * The circuit breaker is raised out of the way here: in production this burst would be staged
 * for approval first, and the approved stage is flushed the same way.
 */
export const benchBurst = async (options: { people: number; baselinePeople: number }): Promise<Row[]> => {
  const stack = await startLocalStack({
    env: {
      RETENTION_DAYS: '0',
      OFFBOARD_BREAKER_MAX_COUNT: '1000000',
      OFFBOARD_BREAKER_MAX_PERCENT: '100',
      CLEANUP_MAX_DELETES: '1000000',
      CLEANUP_MAX_DELETE_PERCENT: '100',
    },
    workerConcurrency: 4,
  });
  const secret = stack.webhookSecrets.split(' ')[0]!;
  const events = createHrEventFactory({ idPrefix: 'burst' });
  const ids = Array.from({ length: options.people }, (_, i) => `B${i}`);
  const post = async (type: typeof EVENT_TYPES.hired | typeof EVENT_TYPES.terminated) => {
    await runPool(Math.ceil(ids.length / 100), 4, async (d) => {
      const batch = ids.slice(d * 100, (d + 1) * 100).map((id) => events(type, id, sampleMember(id, d)));
      const res = await postSignedWebhook(stack.webhookUrl, secret, batch);
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    });
    await stack.drain(600_000);
  };
  try {
    const sim = stack.simulator!;
    await post(EVENT_TYPES.hired);
    sim.resetCounters();
    const burst = await elapsed(() => post(EVENT_TYPES.terminated));
    const disableCalls = sim.counters().calls.setMembersStatus ?? 0;
    const burstCalls = sim.counters().businessCalls;
    const stillEnabled = sim
      .members()
      .filter((m) => ids.includes(String(m.thirdAccount)) && m.status === 0).length;

    sim.resetCounters();
    const cleanup = await elapsed(() => stack.runCleanup());
    const deleteCalls = sim.counters().calls.deleteMembers ?? 0;
    const remaining = sim.members().filter((m) => ids.includes(String(m.thirdAccount))).length;

    // Baseline: an integration without the buffer, one status call per termination.
    const lifecycle = await stack.getLifecycle();
    const baseIds = Array.from({ length: options.baselinePeople }, (_, i) => `N${i}`);
    await runPool(baseIds.length, 8, (i) =>
      lifecycle.applyEvent(events(EVENT_TYPES.hired, baseIds[i]!, sampleMember(baseIds[i]!, i))),
    );
    sim.resetCounters();
    const accounts = await Promise.all(
      baseIds.map(async (id) => (await lifecycle.context.store.getEmployee(id))!.account),
    );
    await runPool(accounts.length, 8, (i) => lifecycle.context.meeting.setMembersStatus([accounts[i]!], 1));
    const baselinePerPerson = (sim.counters().calls.setMembersStatus ?? 0) / baseIds.length;

    const perPerson = burstCalls / options.people;
    const section = `burst: ${fmt(options.people, 0)} terminations`;
    return [
      {
        section,
        metric: 'Meeting API calls per offboarded person (disable)',
        value: fmt(perPerson, 3),
        baseline: fmt(baselinePerPerson, 3),
        ratio: `${fmt(baselinePerPerson / Math.max(perPerson, 1e-9), 0)}x fewer`,
        goal: '≤ 0.05',
      },
      {
        section,
        metric: 'batch status calls / time to all disabled',
        value: `${disableCalls} / ${fmt(burst.seconds, 1)} s`,
      },
      { section, metric: 'left enabled after the burst', value: String(stillEnabled), goal: '0' },
      {
        section,
        metric: 'cleanup: calls per deleted person',
        value: fmt(deleteCalls / options.people, 3),
        baseline: '1.000 (one delete each)',
        goal: '≤ 0.05',
      },
      {
        section,
        metric: 'cleanup: members left / time',
        value: `${remaining} / ${fmt(cleanup.seconds, 1)} s`,
        goal: '0',
      },
    ];
  } finally {
    await stack.stop();
  }
};
