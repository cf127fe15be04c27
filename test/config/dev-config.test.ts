import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDevSettings, parseLogLevel } from '../../local/dev-settings.js';
import { runScript } from '../helpers/run-script.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

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

describe("the local commands' own settings (local/dev-settings.ts)", () => {
  const stateDir = useTempDirs('dev-settings-');

  it('empty is unset: PORT 3000, cleanup every 60 s; 0 is any free port; levels in any case', () => {
    expect(parseDevSettings({ PORT: '', CLEANUP_INTERVAL_SECONDS: ' ', LOG_LEVEL: '' })).toEqual({
      port: 3000,
      cleanupIntervalSeconds: 60,
    });
    expect(parseDevSettings({ PORT: '0', CLEANUP_INTERVAL_SECONDS: '5', LOG_LEVEL: 'debug' })).toEqual({
      port: 0,
      cleanupIntervalSeconds: 5,
      logLevel: 'DEBUG',
    });
    // The Powertools name wins over the deploy's name, as Powertools reads them.
    expect(parseLogLevel({ POWERTOOLS_LOG_LEVEL: 'Warn', LOG_LEVEL: 'ERROR' })).toBe('WARN');
    expect(parseLogLevel({})).toBeUndefined();
  });

  it.each([
    ['CLEANUP_INTERVAL_SECONDS', 'abc', 'expected a whole number of seconds (1-86400)'],
    ['CLEANUP_INTERVAL_SECONDS', '0', 'expected a whole number of seconds (1-86400)'],
    ['CLEANUP_INTERVAL_SECONDS', '1.5', 'expected a whole number of seconds (1-86400)'],
    ['PORT', 'abc', 'expected a port number (0-65535)'],
    ['PORT', '70000', 'expected a port number (0-65535)'],
    ['LOG_LEVEL', 'LOUD', 'expected one of TRACE DEBUG INFO WARN ERROR CRITICAL SILENT (any case)'],
    [
      'POWERTOOLS_LOG_LEVEL',
      'verbose',
      'expected one of TRACE DEBUG INFO WARN ERROR CRITICAL SILENT (any case)',
    ],
  ])(
    'npm run dev with %s=%s: one line naming it, exit 1, nothing started',
    async (setting, value, message) => {
      const run = await runScript('dev.ts', [], { LOCAL_STATE_DIR: stateDir(), [setting]: value });
      expect([run.code, run.errorLines, run.stdout]).toEqual([
        1,
        [`Configuration error: invalid configuration: ${setting}: ${message}: see README.md "Configuration"`],
        '',
      ]);
    },
    90_000,
  );

  it('npm start refuses an unknown LOG_LEVEL in one line too', async () => {
    const run = await runScript('start.ts', [], { LOG_LEVEL: 'LOUD' });
    expect([run.code, run.errorLines]).toEqual([
      1,
      [
        'Configuration error: invalid configuration: LOG_LEVEL: expected one of TRACE DEBUG INFO WARN ERROR CRITICAL SILENT (any case): see README.md "Configuration"',
      ],
    ]);
  }, 90_000);

  it('WEBHOOK_SECRETS_PARAM alone: one line saying the local stack uses a local secret (not "not both")', async () => {
    const run = await runScript('dev.ts', [], {
      LOCAL_STATE_DIR: stateDir(),
      PORT: '0',
      WEBHOOK_SECRETS_PARAM: '/x',
    });
    expect(run.code).toBe(1);
    expect(run.errorLines).toEqual([
      'Configuration error: invalid configuration: WEBHOOK_SECRETS_PARAM: the local stack uses a local secret: set WEBHOOK_SECRETS, or neither for the printed test secret (WEBHOOK_SECRETS_PARAM is for deployed stacks): see README.md "Configuration"',
    ]);
    expect(run.stdout).not.toContain('dev stack is up');
  }, 90_000);
});
