/**
 * `npm run bench`: speed and scale figures, each against a baseline measured in the same run,
 * with its goal marked met (✓) or not (✗). `npm run -s bench -- --json` prints one JSON object
 * instead (schema: bench/report.ts) and nothing else on stdout; progress goes to stderr. (`-s`
 * keeps npm's own `> script` banner off stdout; `tsx bench/run.ts --json` needs no flag.)
 * Sizes: BENCH_OPS (client operations), BENCH_EMPLOYEES (pipeline), BENCH_BURST (mass
 * offboarding), BENCH_ROSTER (initial load, 2,000 rows); BENCH_QUICK=1 for a short run;
 * BENCH_ONLY=client,burst runs only those sections (client, pipeline, burst, reconcile, throttle,
 * cold-start, strict-json, faults, fleet).
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const json = process.argv.includes('--json');
const launched = performance.now();
const progress = (line: string) =>
  process.stderr.write(`[${((performance.now() - launched) / 1000).toFixed(0)} s] ${line}\n`);
// With --json, stdout carries the report alone: anything else printed along the way goes to stderr.
if (json) console.log = console.info = console.debug = console.error;

const { benchTokenReuse } = await import('./token-reuse.js');
const { benchPipeline } = await import('./pipeline.js');
const { benchBurst } = await import('./burst.js');
const { benchThrottle } = await import('./throttle.js');
const { benchColdStart } = await import('./cold-start.js');
const { benchStrictJson } = await import('./strict-json.js');
const { benchReconcile } = await import('./reconcile.js');
const { benchFaults } = await import('./faults.js');
const { benchFleet } = await import('./fleet.js');
const { printTable, toReport } = await import('./report.js');
type Row = import('./report.js').Row;

const quick = process.env.BENCH_QUICK === '1';
const ops = Number(process.env.BENCH_OPS ?? (quick ? 2_000 : 10_000));
const employees = Number(process.env.BENCH_EMPLOYEES ?? (quick ? 500 : 2_000));
const burst = Number(process.env.BENCH_BURST ?? (quick ? 2_000 : 50_000));

const sections: Record<string, () => Promise<Row[]>> = {
  client: () => benchTokenReuse({ ops, coldStarts: 20, baselineOps: Math.min(ops, Math.max(500, ops / 10)) }),
  pipeline: () => benchPipeline({ employees }),
  burst: () => benchBurst({ people: burst, baselinePeople: Math.min(burst, quick ? 200 : 500), progress }),
  reconcile: () => benchReconcile({ rows: Number(process.env.BENCH_ROSTER ?? 2_000) }),
  throttle: () => benchThrottle({ hires: quick ? 300 : 600, limit: 100, windowMs: 5_000 }),
  'cold-start': () => benchColdStart({ runs: quick ? 3 : 7 }),
  'strict-json': async () => benchStrictJson({ rounds: quick ? 5 : 15 }),
  // Full size: the faulty run lasts over a minute, so its 60 s tokens are renewed on the way.
  faults: () => benchFaults({ employees: quick ? 500 : 10_000, rounds: 1 }),
  fleet: () => benchFleet({ perMinute: 600, seconds: 65 }),
};
const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const unknown = only?.filter((name) => !(name in sections)) ?? [];
if (unknown.length > 0) {
  process.stderr.write(
    `unknown BENCH_ONLY section(s): ${unknown.join(', ')} (known: ${Object.keys(sections).join(', ')})\n`,
  );
  process.exit(2);
}
const chosen = Object.keys(sections).filter((name) => !only || only.includes(name));

// The command as typed, with the BENCH_* settings that shaped this run.
const benchSettings = Object.entries(process.env)
  .filter(([name]) => name.startsWith('BENCH_'))
  .map(([name, value]) => `${name}=${value}`)
  .sort();
const command = [...benchSettings, json ? 'npm run -s bench -- --json' : 'npm run bench'].join(' ');

const started = Date.now();
const rows: Row[] = [];
for (const name of chosen) {
  progress(`bench: ${name}…`);
  rows.push(...(await sections[name]!()));
}
const run = {
  node: process.version,
  date: new Date(started).toISOString(),
  durationSeconds: (Date.now() - started) / 1000,
  quick,
  command,
  sections: chosen,
};
if (json) {
  process.stdout.write(`${JSON.stringify(toReport(rows, run), null, 2)}\n`);
} else {
  console.log(`\nmeeting-lifecycle benchmark — node ${run.node}, ${run.date}`);
  printTable(rows);
  console.log(`\n(${run.durationSeconds.toFixed(0)} s; command: ${command})`);
}
