import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { build } from 'esbuild';
import { atMost, below, type Row } from './support.js';

const ROOT = process.cwd();
const WORK = join(ROOT, '.bench');
const FUNCTIONS = ['hrWebhook', 'lifecycleWorker', 'cleanup'] as const;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Module init of a bundle, ms: a fresh node process imports it. */
const initOnce = (file: string) => {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1' },
  });
  return Number(out.toString().trim());
};

/**
 * Module init of the minimal handler and of each function, `runs` rounds in which they take
 * turns, so that a change of the machine's load during the run weighs on all of them alike.
 * Per function: the median init, and the median of its ratio to the minimal handler's in the
 * same round.
 */
const initTimes = (minimal: string, files: readonly string[], runs: number) => {
  const rounds = Array.from({ length: runs }, () => ({
    minimal: initOnce(minimal),
    files: files.map(initOnce),
  }));
  return {
    minimal: median(rounds.map((r) => r.minimal)),
    files: files.map((_, i) => ({
      init: median(rounds.map((r) => r.files[i]!)),
      ratio: median(rounds.map((r) => r.files[i]! / r.minimal)),
    })),
  };
};

const zipSize = (dir: string, name: string) => {
  execFileSync('zip', ['-qr9', `${name}.zip`, '.'], { cwd: dir });
  return statSync(join(dir, `${name}.zip`)).size;
};

/** esbuild as serverless.yml configures it, into `dir`/handler.mjs; every package bundled. */
const bundleInto = async (dir: string, source: string) => {
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [source],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    outfile: join(dir, 'handler.mjs'),
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'silent',
  });
  return dir;
};

/** The reference point: a minimal middy + zod handler, bundled the same way. */
const buildMinimalHandler = async () => {
  const dir = join(WORK, 'minimal');
  mkdirSync(dir, { recursive: true });
  const source = join(dir, 'entry.ts');
  writeFileSync(
    source,
    `import middy from '@middy/core';\nimport { z } from 'zod';\nconst body = z.object({ id: z.string() });\nexport const handler = middy(async (event: { body: string }) => ({ statusCode: 200, body: JSON.stringify(body.parse(JSON.parse(event.body))) }));\n`,
  );
  return bundleInto(dir, source);
};

/** Bundles exactly as deployed (`sls package`: esbuild per function, everything bundled, AWS via aws-lite). */
export const benchColdStart = async (options: { runs: number }): Promise<Row[]> => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  execFileSync(
    join(ROOT, 'node_modules/.bin/sls'),
    ['package', '--stage', 'bench', '--package', join(WORK, 'package')],
    {
      cwd: ROOT,
      stdio: 'ignore',
      // serverless.yml requires the deploy settings: CI's placeholders (.ci/package.env).
      env: { ...process.env, ...parseEnv(readFileSync(join(ROOT, '.ci/package.env'), 'utf8')) },
    },
  );
  const minimal = await buildMinimalHandler();
  const minimalSize = zipSize(minimal, 'minimal');
  const bundles = FUNCTIONS.map((fn) => {
    const dir = join(WORK, fn);
    mkdirSync(dir, { recursive: true });
    execFileSync('unzip', ['-q', join(WORK, 'package', `${fn}.zip`), '-d', dir]);
    const handler = readdirSync(join(dir, 'functions'), { recursive: true }).find((f) =>
      String(f).endsWith('.mjs'),
    );
    return {
      fn,
      size: statSync(join(WORK, 'package', `${fn}.zip`)).size,
      file: join(dir, 'functions', String(handler)),
    };
  });
  const times = initTimes(
    join(minimal, 'handler.mjs'),
    bundles.map((b) => b.file),
    options.runs,
  );
  const rows: Row[] = [];
  for (const [i, { fn, size }] of bundles.entries()) {
    const { init, ratio } = times.files[i]!;
    const section = 'cold start (bundle as deployed)';
    rows.push(
      {
        section,
        metric: `${fn} bundle, zipped`,
        value: size / 1024,
        unit: 'KB',
        digits: 0,
        baseline: { value: minimalSize / 1024 },
        ratio: 'times',
        goal: below(250),
      },
      {
        section,
        metric: `${fn} module init (median of ${options.runs})`,
        value: init,
        unit: 'ms',
        digits: 0,
        baseline: { value: times.minimal },
        ratio: 'times',
      },
      {
        section,
        metric: `${fn} module init ÷ the minimal handler's`,
        value: ratio,
        unit: 'x',
        goal: atMost(2),
      },
    );
  }
  return rows;
};
