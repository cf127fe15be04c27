import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** Runs a command-line entry point (scripts/*.ts) as `npm run` does, in a child process. */

export const root = join(import.meta.dirname, '..', '..');

export interface ScriptRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Non-empty stderr lines. */
  readonly errorLines: string[];
}

/** The environment without any setting of ours, so a test states every one it means. */
export const cleanEnv = (): Record<string, string> =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      (e): e is [string, string] =>
        e[1] !== undefined &&
        !/^(MEETING_|WEBHOOK_|DEBUG$|PORT$|TABLE_NAME$|DYNAMODB_|SQS_|QUEUE_URL$|DEAD_LETTER_QUEUE_URL$|LOCAL_STATE_DIR$|RECONCILE_|AWS_(REGION|DEFAULT_REGION|PROFILE|ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN)$)/.test(
          e[0],
        ),
    ),
  );

export const runScript = (script: string, args: string[], env: Record<string, string>): Promise<ScriptRun> =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', script), ...args],
      { cwd: root, env: { ...cleanEnv(), ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr, errorLines: stderr.split('\n').filter((l) => l.trim() !== '') });
      },
    );
  });

/** A stack trace line, which no command may print without DEBUG=1. */
export const STACK_LINE = /^\s+at /m;
