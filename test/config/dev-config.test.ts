import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');

/** Runs `npm run dev` (scripts/dev.ts) with `env` added; it must stop on its own. */
const dev = (env: Record<string, string>) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
    const { WEBHOOK_SECRETS: _w, MEETING_ENDPOINT: _e, MEETING_REGION: _r, ...base } = process.env;
    execFile(
      resolve(root, 'node_modules/.bin/tsx'),
      ['scripts/dev.ts'],
      { cwd: root, env: { ...base, PORT: '0', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => done({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });

describe('npm run dev checks its configuration before it listens', () => {
  it('bad WEBHOOK_SECRETS: one line naming the setting, exit 1, nothing listening', async () => {
    const secret = 'whsec_dG9vLXNob3J0';
    const run = await dev({ WEBHOOK_SECRETS: secret });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      'Configuration error: invalid configuration: WEBHOOK_SECRETS: webhook secret entry 1 of 1 decodes to 9 bytes: expected whsec_ followed by base64 of 24-64 bytes: see README.md "Configuration"\n',
    );
    expect(run.stdout).not.toContain('dev stack is up');
  }, 90_000);

  it('MEETING_REGION without credentials: one line, exit 1 (not a 202 and endless retries)', async () => {
    const run = await dev({ MEETING_REGION: 'cn-north-4' });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^Configuration error: invalid configuration: MEETING_ACCOUNT: set either [^\n]+\n$/,
    );
    expect(run.stdout).not.toContain('dev stack is up');
  }, 90_000);
});
