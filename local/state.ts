import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The one persistent local state that `npm run dev` and the operator commands (`reconcile`,
 * `history`, `dlq`, `offboarding`) share when no AWS table is configured: a git-ignored folder
 * (`.local/`, or LOCAL_STATE_DIR) holding the DynamoDB data (dynalite's LevelDB), the queues
 * (JSON files) and `owner.json`, which says which process has it open.
 *
 * LevelDB can be open in one process only, and the queues live in the memory of the process
 * that serves them. So one process owns the state at a time. `npm run dev` publishes its
 * endpoints (DynamoDB, an SQS-compatible endpoint for the queues, the Meeting simulator) in
 * owner.json, and a command started beside it uses them; with no dev stack running, a command
 * opens the state itself for as long as it runs. A second owner is refused in one line.
 */

export interface LocalEndpoints {
  readonly dynamodb: string;
  readonly tableName: string;
  readonly sqs: string;
  readonly queueUrl: string;
  readonly deadLetterQueueUrl: string;
  /** Only when the dev stack hosts the Meeting simulator (its demo credentials are public). */
  readonly meeting?: string;
}

export interface LocalOwner {
  readonly pid: number;
  /** What holds it, for the refusal: `npm run dev`, `npm run reconcile`, ... */
  readonly command: string;
  readonly startedAt: string;
  /** Published by `npm run dev` once its servers are up. */
  readonly endpoints?: LocalEndpoints;
}

export const localStateDir = (env: Readonly<Record<string, string | undefined>> = process.env) =>
  resolve(env.LOCAL_STATE_DIR ?? '.local');

export const LOCAL_PATHS = {
  dynamo: (dir: string) => join(dir, 'dynamo'),
  queues: (dir: string) => join(dir, 'queues'),
  owner: (dir: string) => join(dir, 'owner.json'),
} as const;

/** The state is open in another process that does not share it (a command, or a dev stack starting). */
export class LocalStateBusyError extends Error {
  override readonly name = 'LocalStateBusyError';
  readonly retryable = true;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as { code?: string }).code === 'EPERM';
  }
};

/** The live owner of the state, if any (an owner file left by a process that died is ignored). */
export const readOwner = (dir: string): LocalOwner | undefined => {
  let owner: LocalOwner;
  try {
    owner = JSON.parse(readFileSync(LOCAL_PATHS.owner(dir), 'utf8')) as LocalOwner;
  } catch {
    return undefined;
  }
  return typeof owner.pid === 'number' && owner.pid !== process.pid && alive(owner.pid) ? owner : undefined;
};

export interface OwnedState {
  readonly dir: string;
  /** Publishes the endpoints others may use (npm run dev). */
  publish(endpoints: LocalEndpoints): void;
  release(): void;
}

const busy = (dir: string, owner: LocalOwner) =>
  new LocalStateBusyError(
    `the local state ${dir} is in use by ${owner.command} (pid ${owner.pid}): wait for it to finish${
      owner.command === 'npm run dev'
        ? ', or stop it'
        : ', or start npm run dev first so that commands share it'
    }`,
  );

/**
 * Takes the state for this process. The owner file is created exclusively, so of two processes
 * starting at once only one gets it; one left by a dead process is taken over.
 */
export const acquireState = (dir: string, command: string): OwnedState => {
  mkdirSync(dir, { recursive: true });
  const file = LOCAL_PATHS.owner(dir);
  const me: LocalOwner = { pid: process.pid, command, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
      const owner = readOwner(dir);
      if (owner) throw busy(dir, owner);
      // Unreadable for a moment while another process writes it; dead owners' files stay unreadable.
      if (readOwnerFile(file) === undefined && attempt === 0) sleepSync(200);
      else if (attempt > 2) throw new LocalStateBusyError(`could not take the local state ${dir}: retry`);
      else rmSync(file, { force: true }); // left by a process that is gone
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (readOwnerFile(file)?.pid === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', release);
  return {
    dir,
    publish(endpoints) {
      writeFileSync(file, JSON.stringify({ ...me, endpoints } satisfies LocalOwner));
    },
    release,
  };
};

const sleepSync = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

const readOwnerFile = (file: string): LocalOwner | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LocalOwner;
  } catch {
    return undefined;
  }
};
