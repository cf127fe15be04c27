import { EVENT_TYPES, type HrEvent } from '../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import { startLocalStack } from '../local/stack.js';
import { atMost, elapsed, exactly, fmt, inSection, type Row, sendThrough, throughput } from './support.js';

/**
 * Issue 4's workload: hires, then updates, through the real path (signed HTTP webhook →
 * FIFO queue → worker → simulator, state in dynalite). Baseline: the same events applied
 * one by one with a login per event, as a naive integration would.
 */
export const benchPipeline = async (options: { employees: number }): Promise<Row[]> => {
  const stack = await startLocalStack({ env: { RETENTION_DAYS: '30' }, workerConcurrency: 4 });
  const events = createHrEventFactory({ idPrefix: 'bench' });
  const ids = Array.from({ length: options.employees }, (_, i) => `P${i}`);
  const send = (batch: HrEvent[]) => sendThrough(stack, batch, 300_000);
  try {
    const sim = stack.simulator!;
    sim.resetCounters();
    const hires = await elapsed(() =>
      send(ids.map((id, n) => events(EVENT_TYPES.hired, id, sampleMember(id, n)))),
    );
    const hireCalls = sim.counters();
    sim.resetCounters();
    const updates = await elapsed(() =>
      send(ids.map((id, n) => events(EVENT_TYPES.updated, id, sampleMember(id, n, { title: 'Updated' })))),
    );
    const updateCalls = sim.counters();
    const total = options.employees * 2;
    const section = `pipeline: ${fmt(options.employees, 0)} hires + ${fmt(options.employees, 0)} updates`;
    const dead = stack.dlq.stats().sent;
    const final = new Map(sim.members().map((m) => [String(m.thirdAccount), m]));
    const lost = ids.filter((id) => final.get(id)?.title !== 'Updated' || final.get(id)?.status !== 0).length;
    return inSection(section, [
      throughput('end to end (hires)', options.employees, hires, 'events/s'),
      throughput('end to end (updates)', options.employees, updates, 'events/s'),
      {
        metric: 'Meeting API calls per hire',
        value: hireCalls.businessCalls / options.employees,
        unit: 'calls/event',
        digits: 3,
        baseline: { value: 2, note: 'login per event' },
        ratio: 'fewer',
        goal: atMost(1),
      },
      {
        metric: 'Meeting API calls per update',
        value: updateCalls.businessCalls / options.employees,
        unit: 'calls/event',
        digits: 3,
        goal: atMost(1),
      },
      {
        // The run is far shorter than one token lifetime (12 h): one login is the goal.
        metric: 'auth requests, whole run',
        value: hireCalls.auth + updateCalls.auth,
        unit: 'requests',
        baseline: { value: total, note: 'login per event' },
        ratio: 'fewer',
        goal: atMost(1),
      },
      { metric: 'dead-lettered events', value: dead, unit: 'events', goal: exactly(0) },
      { metric: 'lost events', value: lost, unit: 'events', goal: exactly(0) },
    ]);
  } finally {
    await stack.stop();
  }
};
