import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  atLeast,
  atMost,
  type BenchReport,
  benchReportSchema,
  exactly,
  printTable,
  type Row,
  toReport,
} from '../../bench/report.js';

const run = {
  node: process.version,
  date: new Date().toISOString(),
  durationSeconds: 1.5,
  quick: true,
  command: 'npm run -s bench -- --json',
  sections: ['burst'],
};
const rows: Row[] = [
  {
    section: 's',
    metric: 'calls per person',
    value: 0.01,
    unit: 'calls/person',
    baseline: { value: 1, note: 'no buffer' },
    ratio: 'fewer',
    goal: atMost(0.02),
  },
  { section: 's', metric: 'items read per person', value: 6.5, unit: 'items/person', goal: atMost(5) },
  { section: 's', metric: 'share used', value: 91, unit: '%', baseline: { value: 40 }, goal: atLeast(90) },
  { section: 's', metric: 'not measurable', value: Number.NaN, unit: '%', goal: atLeast(90) },
  { section: 's', metric: 'lost', value: 0, unit: 'events', goal: exactly(0) },
  { section: 's', metric: 'throughput', value: 300, unit: 'ops/s', baseline: { value: 100 }, ratio: 'times' },
];

describe('bench report', () => {
  it('carries every figure as numbers with its baseline, ratio, goal and whether it is met', () => {
    const report = benchReportSchema.parse(JSON.parse(JSON.stringify(toReport(rows, run))));
    expect(report.metrics.map((m) => [m.metric, m.value, m.goalMet])).toEqual([
      ['calls per person', 0.01, true],
      ['items read per person', 6.5, false],
      ['share used', 91, true],
      ['not measurable', null, false],
      ['lost', 0, true],
      ['throughput', 300, null],
    ]);
    expect(report.metrics[0]).toMatchObject({
      unit: 'calls/person',
      baseline: { value: 1, note: 'no buffer' },
      ratio: { value: 100, of: 'baseline/value' },
      goal: { comparator: '<=', value: 0.02 },
    });
    expect(report.metrics[5]).toMatchObject({
      ratio: { value: 3, of: 'value/baseline' },
      goal: null,
      baseline: { value: 100, note: null },
    });
  });

  it('rejects a report that is not of that shape', () => {
    const good = JSON.parse(JSON.stringify(toReport(rows, run))) as BenchReport;
    type Loose = { run: Record<string, unknown>; metrics: Record<string, unknown>[] };
    const bad = (change: (r: Loose) => void) => {
      const copy = structuredClone(good) as unknown as Loose;
      change(copy);
      return benchReportSchema.safeParse(copy).success;
    };
    expect(bad(() => undefined)).toBe(true);
    expect(bad((r) => (r.metrics[0]!.goalMet = 'yes'))).toBe(false);
    expect(bad((r) => (r.metrics[0]!.goal = '≤ 0.02'))).toBe(false);
    expect(bad((r) => delete r.metrics[0]!.unit)).toBe(false);
    expect(bad((r) => (r.run.extra = 1))).toBe(false);
    expect(bad((r) => (r.metrics = []))).toBe(false);
  });

  it('marks each goal met (✓) or not (✗) in the table', () => {
    const lines: string[] = [];
    printTable(rows, (line) => lines.push(line));
    const marks = lines.slice(2).map((line) => line.split('|').at(-2)!.trim());
    expect(marks).toEqual(['✓', '✗', '✓', '✗', '✓', '']);
    expect(lines[2]).toContain('100x fewer');
    expect(lines[2]).toContain('≤ 0.02 calls/person');
  });

  it('npm run -s bench -- --json prints one JSON object of that shape and nothing else on stdout', async () => {
    const { stdout, stderr } = await promisify(execFile)('npm', ['run', '-s', 'bench', '--', '--json'], {
      cwd: join(import.meta.dirname, '../..'),
      env: {
        ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('BENCH_'))),
        BENCH_ONLY: 'client,burst',
        BENCH_OPS: '40',
        BENCH_BURST: '30',
      },
      maxBuffer: 10 * 1024 * 1024,
    });
    const report = benchReportSchema.parse(JSON.parse(stdout));
    expect(report.run).toMatchObject({
      sections: ['client', 'burst'],
      command: 'BENCH_BURST=30 BENCH_ONLY=client,burst BENCH_OPS=40 npm run -s bench -- --json',
    });
    const burst = report.metrics.filter((m) => m.section.startsWith('burst: 30 terminations'));
    expect(burst.find((m) => m.metric === 'left enabled after the burst')).toMatchObject({
      value: 0,
      goalMet: true,
    });
    const calls = burst.find((m) => m.metric === 'Meeting API calls per offboarded person');
    expect(calls?.goal).toEqual({ comparator: '<=', value: 0.02 });
    expect(calls?.goalMet).toBe((calls?.value as number) <= 0.02);
    expect(stderr).toContain('bench: burst');
  }, 180_000);
});
