/**
 * `npm run bench`: speed and scale figures, each against a baseline measured in the same run.
 * Sizes: BENCH_OPS (client operations), BENCH_EMPLOYEES (pipeline), BENCH_BURST (mass
 * offboarding); BENCH_QUICK=1 for a short run.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { benchTokenReuse } = await import('./token-reuse.js');
const { benchPipeline } = await import('./pipeline.js');
const { benchBurst } = await import('./burst.js');
const { benchThrottle } = await import('./throttle.js');
const { benchColdStart } = await import('./cold-start.js');
const { benchStrictJson } = await import('./strict-json.js');
const { printTable } = await import('./support.js');

const quick = process.env.BENCH_QUICK === '1';
const ops = Number(process.env.BENCH_OPS ?? (quick ? 2_000 : 10_000));
const employees = Number(process.env.BENCH_EMPLOYEES ?? (quick ? 500 : 2_000));
const burst = Number(process.env.BENCH_BURST ?? (quick ? 1_000 : 5_000));

const started = Date.now();
const rows = [
  ...(await benchTokenReuse({ ops, coldStarts: 20, baselineOps: Math.max(500, ops / 10) })),
  ...(await benchPipeline({ employees })),
  ...(await benchBurst({ people: burst, baselinePeople: quick ? 200 : 500 })),
  ...(await benchThrottle({ hires: quick ? 300 : 600, limit: 100, windowMs: 5_000 })),
  ...(await benchColdStart({ runs: quick ? 3 : 7 })),
  ...benchStrictJson({ rounds: quick ? 5 : 15 }),
];
console.log(`\nmeeting-lifecycle benchmark — node ${process.version}, ${new Date().toISOString()}`);
printTable(rows);
console.log(
  `\n(${((Date.now() - started) / 1000).toFixed(0)} s; command: npm run bench${quick ? ' with BENCH_QUICK=1' : ''})`,
);
