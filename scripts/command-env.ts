/**
 * Where an operator command acts, and with what settings (docs/operations.md):
 *
 * - `--stage <stage>` or TABLE_NAME: a deployed stack (AWS credentials from the usual chain;
 *   the table and queues named as serverless.yml names them, unless set);
 * - otherwise the one persistent local state (local/state.ts): the running `npm run dev`'s
 *   endpoints if it is up, else the state opened by this command for as long as it runs.
 *
 * Each command asks only for what it uses: the table always, the queues and Meeting only when
 * needed, so `offboarding list` and `history` work without Meeting credentials.
 */
import { z } from 'zod';
import { createDynamo, createSqs } from '../functions/shared/aws-clients.js';
import { ConfigError, parseSettings, storeConfigOf, storeShape, withoutEmpty } from '../lib/config/index.js';
import type { SqsPort } from '../lib/queue/sqs-port.js';
import { createDynamoLifecycleStore } from '../lib/store/dynamo-lifecycle-store.js';
import { createDynamoOffboardingStore } from '../lib/store/dynamo-offboarding-store.js';
import { startLocalDynamo } from '../local/dynamo.js';
import { startLocalSqsEndpoint } from '../local/sqs-endpoint.js';
import { createLocalQueues, QUEUE_NAMES } from '../local/stack.js';
import { acquireState, LOCAL_PATHS, localStateDir, readOwner } from '../local/state.js';
import { DEMO_CREDENTIALS } from '../simulator/index.js';

type Env = Record<string, string | undefined>;

export interface TargetNeeds {
  /** `required`: fail without a Meeting target; `optional`: use it if there is one. */
  readonly meeting?: 'required' | 'optional';
  /** The lifecycle queue and its DLQ (QUEUE_URL, DEAD_LETTER_QUEUE_URL, SQS endpoint). */
  readonly queues?: boolean;
}

export interface Target {
  /** The settings the runtime builders read. */
  readonly env: Env;
  /** For the command's first line: where it acts. */
  readonly where: string;
  /** Whether a Meeting target is configured. */
  readonly meeting: boolean;
  /** An SQS client for the target's queues (when asked for). */
  readonly sqs?: SqsPort;
  close(): Promise<void>;
}

const SERVICE = 'meeting-lifecycle';

/** Takes `--stage <name>` (or `--stage=name`) out of the arguments. */
export const takeStage = (args: string[]): string | undefined => {
  const i = args.findIndex((a) => a === '--stage' || a.startsWith('--stage='));
  if (i < 0) return undefined;
  const [flag] = args.splice(i, 1);
  const value = flag!.includes('=') ? flag!.slice('--stage='.length) : args.splice(i, 1)[0];
  if (!value || !/^[A-Za-z0-9-]+$/.test(value)) {
    throw new ConfigError([{ setting: '--stage', message: 'a stage name is required (letters, digits, -)' }]);
  }
  return value;
};

/**
 * The command's arguments: `--stage` taken out, each of `flags` (`json` for `--json`) as a
 * boolean, the rest in order.
 */
export const commandLine = <const F extends string>(
  flags: readonly F[],
  argv: readonly string[] = process.argv.slice(2),
) => {
  const args = [...argv];
  const stage = takeStage(args);
  const named = new Set(flags.map((flag) => `--${flag}`));
  return {
    stage,
    flags: Object.fromEntries(flags.map((flag) => [flag, args.includes(`--${flag}`)])) as Record<F, boolean>,
    rest: args.filter((a) => !named.has(a)),
  };
};

const hasMeeting = (env: Env) => Boolean(env.MEETING_ENDPOINT || env.MEETING_REGION);

const requireMeeting = (env: Env, command: string) => {
  if (!hasMeeting(env)) {
    throw new ConfigError([
      {
        setting: 'MEETING_ENDPOINT / MEETING_REGION',
        message: `${command} needs Meeting: start npm run dev (it hosts the local Meeting simulator), or set them and the credentials`,
      },
    ]);
  }
};

/** A deployed stack: TABLE_NAME (or the stage's), the queues by URL or by the stage's names. */
const deployed = async (
  env: Env,
  stage: string | undefined,
  command: string,
  needs: TargetNeeds,
): Promise<Target> => {
  const tableName = env.TABLE_NAME ?? `${SERVICE}-${stage}`;
  const out: Env = { ...env, TABLE_NAME: tableName };
  let sqs: SqsPort | undefined;
  if (needs.queues) {
    // SQS_ENDPOINT: a local SQS-compatible endpoint (like DYNAMODB_ENDPOINT); unset in AWS.
    sqs = createSqs(out.SQS_ENDPOINT);
    const urlOf = async (name: string) => (await sqs!.getQueueUrl({ QueueName: name })).QueueUrl;
    if (!out.QUEUE_URL || !out.DEAD_LETTER_QUEUE_URL) {
      if (!stage) {
        throw new ConfigError([
          {
            setting: 'QUEUE_URL / DEAD_LETTER_QUEUE_URL',
            message: 'set both, or name the stack with --stage',
          },
        ]);
      }
      out.QUEUE_URL ??= await urlOf(`${SERVICE}-${stage}-events.fifo`);
      out.DEAD_LETTER_QUEUE_URL ??= await urlOf(`${SERVICE}-${stage}-events-dlq.fifo`);
    }
  }
  if (needs.meeting === 'required') requireMeeting(out, command);
  return {
    env: out,
    where: `table ${tableName}${stage ? ` (stage ${stage})` : ''}`,
    meeting: hasMeeting(out),
    ...(sqs && { sqs }),
    close: async () => undefined,
  };
};

/** The Meeting the dev stack uses, for a command beside it: its simulator, unless MEETING_* say otherwise. */
const devMeeting = (env: Env, simulator: string | undefined): Env =>
  hasMeeting(env) || !simulator
    ? {}
    : {
        MEETING_ENDPOINT: simulator,
        ...(!env.MEETING_ACCOUNT &&
          !env.MEETING_APP_ID && {
            MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
            MEETING_PASSWORD: DEMO_CREDENTIALS.password,
          }),
      };

/** Opens what the command needs, and says where it acts. */
export const openTarget = async (
  command: string,
  options: { stage?: string; needs?: TargetNeeds; env?: Env } = {},
): Promise<Target> => {
  const env = withoutEmpty(options.env ?? process.env) as Env;
  const needs = options.needs ?? {};
  if (options.stage || env.TABLE_NAME) return deployed(env, options.stage, command, needs);

  const dir = localStateDir(env);
  const owner = readOwner(dir);
  if (owner?.endpoints) {
    const e = owner.endpoints;
    const shared: Env = {
      ...env,
      TABLE_NAME: e.tableName,
      DYNAMODB_ENDPOINT: e.dynamodb,
      QUEUE_URL: e.queueUrl,
      DEAD_LETTER_QUEUE_URL: e.deadLetterQueueUrl,
      ...devMeeting(env, e.meeting),
    };
    if (needs.meeting === 'required') requireMeeting(shared, command);
    const sqs = needs.queues ? createSqs(e.sqs) : undefined;
    return {
      env: shared,
      where: `local state ${dir}, shared with npm run dev (pid ${owner.pid})`,
      meeting: hasMeeting(shared),
      ...(sqs && { sqs }),
      close: async () => undefined,
    };
  }

  // No dev stack: this command opens the state itself (acquireState refuses if another holds it).
  if (needs.meeting === 'required') requireMeeting(env, command);
  const state = acquireState(dir, command);
  const closers: (() => Promise<void> | void)[] = [() => state.release()];
  const close = async () => {
    for (const fn of closers.reverse()) await fn();
  };
  try {
    const dynamo = await startLocalDynamo({ path: LOCAL_PATHS.dynamo(dir) });
    closers.push(() => dynamo.close());
    const local: Env = { ...env, TABLE_NAME: dynamo.tableName, DYNAMODB_ENDPOINT: dynamo.endpoint };
    let sqs: SqsPort | undefined;
    if (needs.queues) {
      const queues = createLocalQueues({ stateDir: dir });
      closers.push(() => queues.close());
      const endpoint = await startLocalSqsEndpoint([queues.queue, queues.dlq]);
      closers.push(() => endpoint.close());
      sqs = createSqs(endpoint.endpoint);
      local.QUEUE_URL = endpoint.urlOf(QUEUE_NAMES.events);
      local.DEAD_LETTER_QUEUE_URL = endpoint.urlOf(QUEUE_NAMES.deadLetters);
    }
    return {
      env: local,
      where: `local state ${dir} (npm run dev is not running)`,
      meeting: hasMeeting(local),
      ...(sqs && { sqs }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
};

/** The table's stores, without Meeting: what read-only commands need. */
export const storesOf = (env: Env) => {
  const config = parseSettings(z.object(storeShape()).transform(storeConfigOf), env);
  const dynamo = createDynamo(config.dynamoEndpoint);
  return {
    store: createDynamoLifecycleStore({
      client: dynamo,
      tableName: config.tableName,
      auditRetentionDays: config.auditRetentionDays,
    }),
    offboarding: createDynamoOffboardingStore({ client: dynamo, tableName: config.tableName }),
    // aws-lite keeps no sockets open that would hold the process (idle ones are unref'd).
    close: () => undefined,
  };
};
