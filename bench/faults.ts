import { EVENT_TYPES, type HrEvent } from '../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import { startLocalStack } from '../local/stack.js';
import type { SimulatorOptions } from '../simulator/index.js';
import { atLeast, exactly, fmt, inSection, type Row, sendThrough } from './support.js';

/** Issue 9's sporadic faults: random, not load-related. */
const FAULTY: SimulatorOptions = {
  tokenValidSeconds: 60,
  faults: { seed: 9, throttleRate: 0.05, errorRate: 0.05 },
};

interface PipelineRun {
  readonly events: number;
  readonly seconds: number;
  readonly throttled: number;
  readonly errors: number;
  readonly logins: number;
  readonly visibilityTimeouts: number;
  readonly handedBack: number;
  readonly deadLettered: number;
  readonly lost: number;
}

/** Hires, then updates, of `employees` people through the whole local system (as bench/pipeline.ts). */
const runPipeline = async (
  employees: number,
  simulator: SimulatorOptions,
  label: string,
): Promise<PipelineRun> => {
  const stack = await startLocalStack({ env: { RETENTION_DAYS: '30' }, workerConcurrency: 4, simulator });
  const events = createHrEventFactory({ idPrefix: label });
  const ids = Array.from({ length: employees }, (_, i) => `${label}${i}`);
  const send = (batch: HrEvent[]) => sendThrough(stack, batch);
  try {
    const sim = stack.simulator!;
    const started = performance.now();
    await send(ids.map((id, n) => events(EVENT_TYPES.hired, id, sampleMember(id, n))));
    await send(
      ids.map((id, n) => events(EVENT_TYPES.updated, id, sampleMember(id, n, { title: 'Updated' }))),
    );
    const seconds = (performance.now() - started) / 1000;
    const c = sim.counters();
    const q = stack.queue.stats();
    const final = new Map(sim.members().map((m) => [String(m.thirdAccount), m]));
    return {
      events: 2 * employees,
      seconds,
      throttled: c.faults.throttle ?? 0,
      errors: c.faults.error ?? 0,
      logins: c.auth,
      visibilityTimeouts: q.visibilityTimeouts,
      handedBack: q.handedBack,
      deadLettered: stack.dlq.stats().sent,
      lost: ids.filter((id) => final.get(id)?.title !== 'Updated' || final.get(id)?.status !== 0).length,
    };
  } finally {
    await stack.stop();
  }
};

const sum = (runs: readonly PipelineRun[], key: keyof PipelineRun) => runs.reduce((s, r) => s + r[key], 0);

/**
 * Issue 9 item 3: the pipeline's throughput with 5 % 429s and 5 % 5xx injected at random and
 * 60-second tokens, against the same pipeline without faults, measured in the same run. The
 * two alternate `rounds` times (each on a fresh stack), so load from elsewhere on the machine
 * hits both alike; the ratio is of the totals.
 */
export const benchFaults = async (options: { employees: number; rounds: number }): Promise<Row[]> => {
  const clean: PipelineRun[] = [];
  const faulty: PipelineRun[] = [];
  for (let round = 0; round < options.rounds; round++) {
    clean.push(await runPipeline(options.employees, {}, `fc${round}x`));
    faulty.push(await runPipeline(options.employees, FAULTY, `ff${round}x`));
  }
  const rate = (runs: PipelineRun[]) => sum(runs, 'events') / sum(runs, 'seconds');
  const ratio = rate(faulty) / rate(clean);
  const section = `faults: ${fmt(options.employees, 0)} hires + updates, 5% 429 + 5% 5xx, 60 s tokens (${options.rounds} round${options.rounds > 1 ? 's' : ''})`;
  return inSection(section, [
    {
      metric: 'end to end, with faults',
      value: rate(faulty),
      unit: 'events/s',
      digits: 0,
      baseline: { value: rate(clean), note: 'fault-free, same run' },
    },
    {
      metric: 'throughput with faults ÷ without',
      value: ratio,
      unit: 'ratio',
      digits: 2,
      goal: atLeast(0.5),
    },
    { metric: 'faults injected: 429', value: sum(faulty, 'throttled'), unit: 'answers' },
    { metric: 'faults injected: 5xx', value: sum(faulty, 'errors'), unit: 'answers' },
    {
      // A login per token: 60 s tokens are renewed after 30 s (half their life).
      metric: 'logins (60 s tokens)',
      value: sum(faulty, 'logins'),
      unit: 'logins',
    },
    {
      metric: 'redeliveries after a visibility timeout',
      value: sum(faulty, 'visibilityTimeouts'),
      unit: 'messages',
      baseline: { value: sum(clean, 'visibilityTimeouts'), note: 'fault-free' },
      goal: exactly(0),
    },
    { metric: 'events handed back to retry later', value: sum(faulty, 'handedBack'), unit: 'messages' },
    { metric: 'dead-lettered events', value: sum(faulty, 'deadLettered'), unit: 'events', goal: exactly(0) },
    { metric: 'lost events', value: sum(faulty, 'lost'), unit: 'events', goal: exactly(0) },
  ]);
};
