import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';

export const root = resolve(import.meta.dirname, '../..');

/** The placeholder deploy settings CI packages with (.ci/package.env). */
export const packageEnv = (): Record<string, string> =>
  parseEnv(readFileSync(join(root, '.ci/package.env'), 'utf8')) as Record<string, string>;

export type Template = {
  Resources: Record<string, Resource>;
  Outputs?: Record<string, unknown>;
};
export type Resource = {
  Type: string;
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Properties: Record<string, unknown>;
};

export interface PackageResult {
  readonly status: number | null;
  /** osls prints its errors on stdout and stderr; both, for assertions on the message. */
  readonly output: string;
  readonly template?: Template;
}

/**
 * Runs `sls package --stage dev` (osls, offline) exactly as CI's `npm run package` does, with
 * only the given settings in its environment (nothing leaks in from the developer's shell), into
 * a temporary folder, and returns the CloudFormation template it wrote.
 */
export const packageService = (settings: Record<string, string>): PackageResult => {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  try {
    const run = spawnSync(
      join(root, 'node_modules/.bin/sls'),
      ['package', '--stage', 'dev', '--package', dir],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 240_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TMPDIR: tmpdir(),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          ...settings,
        },
      },
    );
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}`;
    if (run.status !== 0) return { status: run.status, output };
    const template = JSON.parse(
      readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8'),
    ) as Template;
    return { status: run.status, output, template };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
