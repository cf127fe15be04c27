import { z } from 'zod';

/**
 * One figure of the benchmark, as data: the table and `--json` are both printed from rows.
 * `value` is a number wherever the figure is one; NaN (nothing measurable) prints as null.
 */
export interface Row {
  readonly section: string;
  readonly metric: string;
  readonly value: number | string;
  /** Unit of the value and of the baseline (`s`, `ms`, `KB`, `%`, `calls/person`, ...). */
  readonly unit: string;
  /** Digits after the decimal point in the table (the JSON keeps full precision). */
  readonly digits?: number;
  /** The same figure for the naive approach, measured in the same run. */
  readonly baseline?: { readonly value: number; readonly note?: string };
  /** How value and baseline compare: `times` = value ÷ baseline, `fewer` = baseline ÷ value. */
  readonly ratio?: RatioKind;
  readonly goal?: Goal;
}

export const COMPARATORS = ['<', '<=', '==', '>=', '>'] as const;
export type Comparator = (typeof COMPARATORS)[number];
export interface Goal {
  readonly comparator: Comparator;
  readonly value: number;
}
export type RatioKind = 'times' | 'fewer';

/** The rows of one section, each written without repeating the section's name. */
export const inSection = (section: string, rows: readonly Omit<Row, 'section'>[]): Row[] =>
  rows.map((row) => ({ section, ...row }));

/** A throughput row: `count` items over the seconds `timed` took, in whole items per second. */
export const throughput = (
  metric: string,
  count: number,
  timed: { readonly seconds: number },
  unit: string,
): Omit<Row, 'section'> => ({ metric, value: count / timed.seconds, unit, digits: 0 });

/** Shorthands for goals, so sections read like the goals they state. */
export const atMost = (value: number): Goal => ({ comparator: '<=', value });
export const atLeast = (value: number): Goal => ({ comparator: '>=', value });
export const exactly = (value: number): Goal => ({ comparator: '==', value });
export const below = (value: number): Goal => ({ comparator: '<', value });

const finiteOrNull = z.number().nullable();

/** The `npm run bench -- --json` document: one object, every figure with its goal. */
export const benchReportSchema = z.strictObject({
  benchmark: z.literal('meeting-lifecycle'),
  run: z.strictObject({
    node: z.string().regex(/^v\d+\./),
    date: z.iso.datetime(),
    durationSeconds: z.number().nonnegative(),
    quick: z.boolean(),
    command: z.string().min(1),
    sections: z.array(z.string()).min(1),
  }),
  metrics: z
    .array(
      z.strictObject({
        section: z.string().min(1),
        metric: z.string().min(1),
        /** null: not measurable in this run (e.g. no full rate-limit window). */
        value: z.union([z.number(), z.string()]).nullable(),
        unit: z.string().min(1),
        baseline: z.strictObject({ value: finiteOrNull, note: z.string().nullable() }).nullable(),
        ratio: z
          .strictObject({ value: finiteOrNull, of: z.enum(['value/baseline', 'baseline/value']) })
          .nullable(),
        goal: z.strictObject({ comparator: z.enum(COMPARATORS), value: z.number() }).nullable(),
        /** null when there is no goal; false when the value is not a number. */
        goalMet: z.boolean().nullable(),
      }),
    )
    .min(1),
});
export type BenchReport = z.infer<typeof benchReportSchema>;
export type BenchMetric = BenchReport['metrics'][number];
export type RunInfo = BenchReport['run'];

const numberOrNull = (n: number) => (Number.isFinite(n) ? n : null);

export const meets = (value: number | string, goal: Goal): boolean => {
  if (typeof value !== 'number' || Number.isNaN(value)) return false;
  switch (goal.comparator) {
    case '<':
      return value < goal.value;
    case '<=':
      return value <= goal.value;
    case '==':
      return value === goal.value;
    case '>=':
      return value >= goal.value;
    case '>':
      return value > goal.value;
  }
};

const ratioOf = (row: Row) => {
  if (!row.ratio || !row.baseline || typeof row.value !== 'number') return undefined;
  return row.ratio === 'times'
    ? { value: row.value / row.baseline.value, of: 'value/baseline' as const }
    : { value: row.baseline.value / row.value, of: 'baseline/value' as const };
};

export const toMetric = (row: Row): BenchMetric => {
  const ratio = ratioOf(row);
  return {
    section: row.section,
    metric: row.metric,
    value: typeof row.value === 'number' ? numberOrNull(row.value) : row.value,
    unit: row.unit,
    baseline: row.baseline
      ? { value: numberOrNull(row.baseline.value), note: row.baseline.note ?? null }
      : null,
    ratio: ratio ? { value: numberOrNull(ratio.value), of: ratio.of } : null,
    goal: row.goal ? { comparator: row.goal.comparator, value: row.goal.value } : null,
    goalMet: row.goal ? meets(row.value, row.goal) : null,
  };
};

/** The JSON document, checked against its schema before anyone sees it. */
export const toReport = (rows: readonly Row[], run: RunInfo): BenchReport =>
  benchReportSchema.parse({ benchmark: 'meeting-lifecycle', run, metrics: rows.map(toMetric) });

export const fmt = (n: number, digits = 2) =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: digits }) : String(n);

const withUnit = (n: number, unit: string, digits?: number) =>
  `${fmt(n, digits)}${unit === '%' ? '%' : ` ${unit}`}`;

const GOAL_SIGNS: Record<Comparator, string> = { '<': '<', '<=': '≤', '==': '=', '>=': '≥', '>': '>' };

/** Markdown table; the last column marks each goal met (✓) or not (✗). */
export const printTable = (rows: readonly Row[], print: (line: string) => void = console.log) => {
  const head = ['section', 'metric', 'value', 'baseline', 'ratio', 'goal', 'met'] as const;
  const cells = rows.map((row) => {
    const ratio = ratioOf(row);
    return [
      row.section,
      row.metric,
      typeof row.value === 'number' ? withUnit(row.value, row.unit, row.digits) : row.value,
      row.baseline
        ? `${withUnit(row.baseline.value, row.unit, row.digits)}${row.baseline.note ? ` (${row.baseline.note})` : ''}`
        : '',
      ratio && Number.isFinite(ratio.value)
        ? `${fmt(ratio.value, 1)}x${ratio.of === 'baseline/value' ? ' fewer' : ''}`
        : '',
      row.goal ? `${GOAL_SIGNS[row.goal.comparator]} ${withUnit(row.goal.value, row.unit)}` : '',
      row.goal ? (meets(row.value, row.goal) ? '✓' : '✗') : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  print(line(head));
  print(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of cells) print(line(c));
};
