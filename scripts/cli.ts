/**
 * The shared runner of the command-line entry points (`npm start`, `npm run dev`, `npm run
 * simulator`, `npm run offboarding`, `npm run sign-event`, `npm run reconcile`, `npm run history`,
 * `npm run dlq`): a failure ends in one line saying
 * what failed, where, and what to do, and a non-zero exit. The stack trace only with DEBUG=1.
 * Secrets never appear: the configured ones are masked in whatever is printed.
 */
import { inspect } from 'node:util';
import { parseLoggingConfig } from '../lib/config/logging-config.js';
import { ERROR_KIND, MeetingError, MeetingResponseError } from '../lib/http/errors.js';
import { StoreError } from '../lib/store/errors.js';

type Env = Readonly<Record<string, string | undefined>>;

const LOGIN_APIS: Readonly<Record<string, string>> = {
  authAccount: 'MEETING_ACCOUNT / MEETING_PASSWORD',
  authLegacy: 'MEETING_ACCOUNT / MEETING_PASSWORD',
  authAppId: 'MEETING_APP_ID / MEETING_APP_KEY (and MEETING_USER_ID / MEETING_CORP_ID if set)',
};

/** What to do about a failed Meeting call, from how it failed. */
const meetingHint = (error: MeetingError): string => {
  const credentials = LOGIN_APIS[error.api ?? ''];
  if (error instanceof MeetingResponseError)
    return 'the answer does not match docs/meeting-api.md: report it with the request id';
  if (error.status === undefined)
    return 'check MEETING_ENDPOINT / MEETING_REGION, the network, and MEETING_TIMEOUT_MS';
  if (error.status === 412) return 'the account is disabled: enable it in the Meeting console';
  if (error.status === 423) return 'the account is locked: unlock it in the Meeting console, or wait';
  if (credentials && error.kind === ERROR_KIND.auth) return `check ${credentials}`;
  if (error.status === 403) return 'the account lacks the enterprise administrator role this needs';
  if (error.kind === ERROR_KIND.auth) return 'the token was refused twice: check the account and retry';
  if (error.kind === ERROR_KIND.throttled)
    return 'Meeting is rate limiting: retry later, or set MEETING_RATE_LIMIT_PER_MINUTE';
  if (error.status >= 500) return 'the Meeting service failed: retry later';
  return 'see docs/meeting-api.md §5 for the error code';
};

const meetingLine = (error: MeetingError): string => {
  const what = error.api && LOGIN_APIS[error.api] ? 'Meeting login' : `Meeting ${error.api ?? 'call'}`;
  const where = error.endpoint ? ` at ${error.endpoint}` : '';
  // The message starts with the API name; what follows says what happened.
  const happened = error.message.replace(new RegExp(`^${error.api ?? ''}:? ?`), '');
  const detail =
    error.status !== undefined && !(error instanceof MeetingResponseError)
      ? [
          `HTTP ${error.status}`,
          error.errorCode,
          error.errorMsg && JSON.stringify(error.errorMsg),
          error.requestId && `(request id ${error.requestId})`,
        ]
          .filter(Boolean)
          .join(' ')
      : happened;
  return `${what} failed${where}: ${detail}: ${meetingHint(error)}`;
};

interface SystemError extends Error {
  readonly code?: string;
  readonly port?: number;
  readonly address?: string;
  readonly path?: string;
  readonly syscall?: string;
}

const systemLine = (error: SystemError): string | undefined => {
  switch (error.code) {
    case 'EADDRINUSE':
      return `Port ${error.port} on ${error.address} is already in use: stop the program using it, or set PORT to a free port`;
    case 'EACCES':
      return error.syscall === 'listen'
        ? `No permission to listen on port ${error.port}: set PORT to a port above 1023`
        : undefined;
    case 'ENOENT':
      return error.path ? `${error.path}: no such file` : undefined;
    default:
      return undefined;
  }
};

const firstLine = (text: string): string => text.split('\n')[0]!.trim();

/** Settings that hold secrets (each may also be given as an SSM parameter name, NAME_PARAM). */
const SECRET_SETTINGS = [
  'MEETING_PASSWORD',
  'MEETING_APP_KEY',
  'WEBHOOK_SECRETS',
  'BAMBOOHR_WEBHOOK_KEYS',
  'BAMBOOHR_API_KEY',
  'FEISHU_APP_SECRET',
  'FEISHU_ENCRYPT_KEY',
  'FEISHU_VERIFICATION_TOKEN',
] as const;

/** Failures whose message already says what failed and what to do (operator commands). */
const SELF_EXPLAINED = new Set([
  'CommandError',
  'LocalStateBusyError',
  'RosterFormatError',
  'StageMismatchError',
]);

/** A command's own failure, already phrased for the operator: printed as it is. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

/** The values of configured secrets, to mask in anything printed. */
const secretsOf = (env: Env): string[] =>
  // Every secret setting may be given as NAME or NAME_PARAM (lib/config): mask each NAME.
  [...SECRET_SETTINGS].flatMap((name) => (env[name] ?? '').split(/\s+/)).filter((value) => value.length >= 4);

export const redact = (text: string, env: Env = process.env): string =>
  secretsOf(env).reduce((out, secret) => out.replaceAll(secret, '***'), text);

/**
 * aws-lite's failures name their service: Errors (`service`), or, from its credential lookup,
 * plain objects (`metadata.service`, `statusCode`, the answer's body in `error`).
 */
interface AwsLiteFailure {
  readonly service?: unknown;
  readonly metadata?: { readonly service?: unknown };
  readonly statusCode?: unknown;
  readonly message?: unknown;
  readonly error?: unknown;
}

const awsServiceOf = (value: unknown): string | undefined => {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as AwsLiteFailure;
  const service = v.service ?? v.metadata?.service;
  return typeof service === 'string' ? service : undefined;
};

/** What an aws-lite failure says, without its package prefix (`ssm: getaddrinfo ENOTFOUND …`). */
const awsText = (value: object): string => {
  const v = value as AwsLiteFailure;
  if (typeof v.message === 'string' && v.message.trim() !== '')
    return firstLine(v.message).replace(/^@aws-lite\/client: /, '');
  const body = Buffer.isBuffer(v.error)
    ? v.error.toString('utf8')
    : typeof v.error === 'string'
      ? v.error
      : '';
  return [
    `${awsServiceOf(value)}:`,
    typeof v.statusCode === 'number' && `HTTP ${v.statusCode}`,
    body && firstLine(body).slice(0, 200),
  ]
    .filter(Boolean)
    .join(' ');
};

/** Whether the command acts on a deployed stack (scripts/command-env.ts): `--stage`, or TABLE_NAME in AWS. */
const onAws = (env: Env, argv: readonly string[]): boolean =>
  !env.DYNAMODB_ENDPOINT?.trim() &&
  (argv.some((a) => a === '--stage' || a.startsWith('--stage=')) || Boolean(env.TABLE_NAME?.trim()));

const AWS_HINT =
  'check the AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and AWS_REGION, and that the stage is deployed there';

/** What to do about a failed AWS call, for where the command acts. */
const awsHint = (env: Env, argv: readonly string[]): string =>
  onAws(env, argv)
    ? AWS_HINT
    : env.DYNAMODB_ENDPOINT?.trim()
      ? 'check DYNAMODB_ENDPOINT and TABLE_NAME'
      : 'check the local state (LOCAL_STATE_DIR, default .local)';

/** A cause's own words: an Error's first line, what aws-lite says, or the value itself. */
const causeText = (cause: unknown): string => {
  if (awsServiceOf(cause) !== undefined) return awsText(cause as object);
  if (cause instanceof Error) return firstLine(cause.message) || cause.name;
  return String(cause);
};

/**
 * One line for any failure: Meeting, configuration, a port, a file, AWS, or anything else.
 * `argv` tells a deployed stack (`--stage`) from the local state, for the hint.
 */
export const formatError = (
  error: unknown,
  env: Env = process.env,
  argv: readonly string[] = process.argv,
): string => {
  let line: string;
  if (error instanceof MeetingError) line = meetingLine(error);
  else if (error instanceof Error && error.name === 'ConfigError')
    line = `Configuration error: ${firstLine(error.message)}: see README.md "Configuration"`;
  else if (error instanceof Error && SELF_EXPLAINED.has(error.name)) line = firstLine(error.message);
  else if (error instanceof StoreError) {
    // The message ends in the cause's name; the cause's own words say more.
    const what = `store ${error.operation} failed (${error.kind})`;
    const cause = error.cause === undefined ? '' : `: ${causeText(error.cause)}`;
    line = `DynamoDB ${what}${cause}: ${awsHint(env, argv)}`;
  } else if (
    awsServiceOf(error) !== undefined ||
    awsServiceOf((error as Error | undefined)?.cause) !== undefined
  ) {
    // An AWS call (or a wrapper that repeats its message, like Powertools' GetParameterError).
    const aws = awsServiceOf(error) !== undefined ? error : (error as Error).cause;
    const what = (aws as Error).name === 'AwsSetupError' ? '' : 'AWS call failed: ';
    line = `${what}${awsText(aws as object)}: ${awsHint(env, argv)}`;
  } else if (error instanceof Error) {
    const system = systemLine(error as SystemError);
    const own = firstLine(error.message) || error.name;
    const causeLine = error.cause === undefined ? '' : formatError(error.cause, env, argv);
    const causeWords = causeLine.replace(/ \(DEBUG=1 shows the (stack trace|details)\)$/, '');
    // Said once: a wrapper that repeats its cause's words, or a cause its wrapper already quotes.
    const tail =
      !causeLine || own.includes(causeWords)
        ? ' (DEBUG=1 shows the stack trace)' // an error of unknown shape: say where the details are
        : `: ${causeLine}`;
    line = system ?? (causeLine && causeWords.includes(own) ? causeLine : `${own}${tail}`);
  } else if (typeof error === 'object' && error !== null) {
    const message = (error as { message?: unknown }).message;
    line = `failed: ${typeof message === 'string' ? firstLine(message) : inspect(error, { depth: 1, breakLength: Number.POSITIVE_INFINITY })} (DEBUG=1 shows the details)`;
  } else line = `failed: ${String(error)}`;
  return redact(line.replace(/\s+/g, ' '), env);
};

/** The functions' rule for stack traces (lib/config logging-config.ts). */
const isDebug = (env: Env) => parseLoggingConfig(env).stackTraces;

/** Prints the failure (and with DEBUG=1 its stack and causes) and exits 1. */
export const fail = (error: unknown, env: Env = process.env): never => {
  console.error(formatError(error, env));
  if (isDebug(env)) console.error(redact(inspect(error, { depth: 6 }), env));
  process.exit(1);
};

/**
 * Runs a command. A number returned is the exit code; nothing returned leaves the process
 * running (servers). Any failure, also a later one (a server's 'error' event), ends in one line.
 */
export const runMain = (main: () => Promise<number | undefined>): void => {
  // A reader that went away (`| head -1`) ends the command quietly, as it ends standard tools.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    fail(error);
  });
  process.on('uncaughtException', (error) => fail(error));
  process.on('unhandledRejection', (error) => fail(error));
  main().then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (error: unknown) => fail(error),
  );
};
