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

/** Module init time of a bundle: a fresh node process imports it; median of `runs`. */
const initMs = (file: string, runs: number) =>
  median(
    Array.from({ length: runs }, () => {
      const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: ROOT,
        env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1' },
      });
      return Number(out.toString().trim());
    }),
  );

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
  const minimalInit = initMs(join(minimal, 'handler.mjs'), options.runs);
  const rows: Row[] = [];
  for (const fn of FUNCTIONS) {
    const dir = join(WORK, fn);
    mkdirSync(dir, { recursive: true });
    execFileSync('unzip', ['-q', join(WORK, 'package', `${fn}.zip`), '-d', dir]);
    const size = statSync(join(WORK, 'package', `${fn}.zip`)).size;
    const handler = readdirSync(join(dir, 'functions'), { recursive: true }).find((f) =>
      String(f).endsWith('.mjs'),
    );
    const init = initMs(join(dir, 'functions', String(handler)), options.runs);
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
        baseline: { value: minimalInit },
        ratio: 'times',
      },
      {
        section,
        metric: `${fn} module init ÷ the minimal handler's`,
        value: init / minimalInit,
        unit: 'x',
        goal: atMost(2),
      },
    );
  }
  return rows;
};
