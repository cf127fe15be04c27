import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeetingAuthError, MeetingError, MeetingResponseError } from '../../lib/http/errors.js';
import { AwsSetupError } from '../../lib/shared/aws-client.js';
import { StoreError } from '../../lib/store/errors.js';
import { formatError, redact } from '../../scripts/cli.js';
import { DEMO_CREDENTIALS, type MeetingSimulator, startMeetingSimulator } from '../../simulator/index.js';
import { cleanEnv, root, runScript, STACK_LINE } from '../helpers/run-script.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/** The command-line entry points end a failure in one line, with a non-zero exit. */

describe('formatError: one line for each kind of failure', () => {
  it('a refused login: what, where, HTTP status, code, message, and what to do', () => {
    const error = new MeetingAuthError('authAccount failed: HTTP 401 USG.206010000', {
      kind: 'auth',
      status: 401,
      errorCode: 'USG.206010000',
      errorMsg: 'wrong account or password',
      requestId: 'r-1',
      api: 'authAccount',
      endpoint: 'https://api.meeting.huaweicloud.com',
    });
    expect(formatError(error)).toBe(
      'Meeting login failed at https://api.meeting.huaweicloud.com: HTTP 401 USG.206010000 "wrong account or password" (request id r-1): check MEETING_ACCOUNT / MEETING_PASSWORD',
    );
    const appId = new MeetingAuthError('x', { kind: 'auth', status: 401, api: 'authAppId' });
    expect(formatError(appId)).toMatch(
      /^Meeting login failed: HTTP 401: check MEETING_APP_ID \/ MEETING_APP_KEY/,
    );
  });

  it('no answer, an answer that breaks the contract, a throttle, a server failure', () => {
    const network = new MeetingError('listMembers request failed (ECONNREFUSED)', {
      kind: 'retryable',
      api: 'listMembers',
      endpoint: 'http://127.0.0.1:1',
    });
    expect(formatError(network)).toBe(
      'Meeting listMembers failed at http://127.0.0.1:1: request failed (ECONNREFUSED): check MEETING_ENDPOINT / MEETING_REGION, the network, and MEETING_TIMEOUT_MS',
    );
    const response = new MeetingResponseError(
      'listMembers: unexpected response (request id r-2): data.0.status: Invalid input',
      { kind: 'permanent', api: 'listMembers', requestId: 'r-2', status: 200 },
    );
    expect(formatError(response)).toBe(
      'Meeting listMembers failed: unexpected response (request id r-2): data.0.status: Invalid input: the answer does not match docs/meeting-api.md: report it with the request id',
    );
    expect(formatError(new MeetingError('x', { kind: 'throttled', status: 429, api: 'getMember' }))).toMatch(
      /HTTP 429: Meeting is rate limiting/,
    );
    expect(formatError(new MeetingError('x', { kind: 'retryable', status: 503, api: 'getMember' }))).toMatch(
      /HTTP 503: the Meeting service failed: retry later$/,
    );
  });

  it('configuration, wrapped causes, multi-line messages, and secrets masked', () => {
    const config = Object.assign(new Error('invalid Meeting configuration: MEETING_ENDPOINT: Invalid URL'), {
      name: 'ConfigError',
    });
    expect(formatError(config)).toBe(
      'Configuration error: invalid Meeting configuration: MEETING_ENDPOINT: Invalid URL: see README.md "Configuration"',
    );
    const cause = new MeetingError('x', {
      kind: 'permanent',
      status: 400,
      api: 'listMembers',
      errorCode: 'USG.1',
    });
    const wrapped = new Error('member listing failed; cleanup aborted', { cause });
    expect(formatError(wrapped)).toBe(
      'member listing failed; cleanup aborted: Meeting listMembers failed: HTTP 400 USG.1: see docs/meeting-api.md §5 for the error code',
    );
    expect(formatError(new Error('first\nsecond'))).toBe('first (DEBUG=1 shows the stack trace)');
    const env = { MEETING_PASSWORD: 'Sup3r#Secret', WEBHOOK_SECRETS: 'whsec_AAAA whsec_BBBB' };
    expect(redact('a Sup3r#Secret b whsec_BBBB c', env)).toBe('a *** b *** c');
    expect(formatError(new Error('oops Sup3r#Secret'), env)).not.toContain('Sup3r#Secret');
  });
});

describe('formatError: AWS failures say their cause and what to check where the command acts', () => {
  const stage = ['node', 'history.ts', '--stage', 'prod', 'E1'];
  const local = ['node', 'history.ts', 'E1'];
  // aws-lite's own shapes: an Error naming its service, and its credential lookup's plain object.
  const enotfound = Object.assign(
    new Error('@aws-lite/client: DynamoDB.GetItem: getaddrinfo ENOTFOUND dynamodb.eu-west-1.amazonaws.com'),
    { service: 'dynamodb', host: 'dynamodb.eu-west-1.amazonaws.com' },
  );
  const AWS =
    'check the AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and AWS_REGION, and that the stage is deployed there';

  it("a store failure: the cause's words, and the hint for --stage or for a local endpoint", () => {
    const error = new StoreError('store getEmployee failed (retryable): Error', {
      kind: 'retryable',
      operation: 'getEmployee',
      cause: enotfound,
    });
    expect(formatError(error, {}, stage)).toBe(
      `DynamoDB store getEmployee failed (retryable): DynamoDB.GetItem: getaddrinfo ENOTFOUND dynamodb.eu-west-1.amazonaws.com: ${AWS}`,
    );
    expect(formatError(error, { TABLE_NAME: 't', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9' }, local)).toMatch(
      /: check DYNAMODB_ENDPOINT and TABLE_NAME$/,
    );
    const region = new StoreError('x', {
      kind: 'retryable',
      operation: 'getEmployee',
      cause: new AwsSetupError(new ReferenceError('Unable to find AWS region via params')),
    });
    expect(formatError(region, {}, stage)).toBe(
      `DynamoDB store getEmployee failed (retryable): AWS client setup failed: Unable to find AWS region via params: ${AWS}`,
    );
  });

  it('a wrapper repeating its cause is said once; a plain object is never [object Object]', () => {
    const ssm = Object.assign(
      new Error('@aws-lite/client: ssm: getaddrinfo ENOTFOUND ssm.eu-west-1.amazonaws.com'),
      {
        service: 'ssm',
      },
    );
    const wrapped = Object.assign(new Error(ssm.message, { cause: ssm }), { name: 'GetParameterError' });
    expect(formatError(wrapped, {}, stage)).toBe(
      `AWS call failed: ssm: getaddrinfo ENOTFOUND ssm.eu-west-1.amazonaws.com: ${AWS}`,
    );
    const imds = { statusCode: 403, error: Buffer.from('denied'), metadata: { service: 'IMDSv2 token API' } };
    expect(formatError(new AwsSetupError(imds), {}, stage)).toBe(
      `AWS client setup failed: IMDSv2 token API answered 403: ${AWS}`,
    );
    expect(formatError(imds, {}, stage)).toBe(`AWS call failed: IMDSv2 token API: HTTP 403 denied: ${AWS}`);
    expect(formatError({ code: 7 }, {}, local)).toBe('failed: { code: 7 } (DEBUG=1 shows the details)');
    const again = new Error('load failed: disk full', { cause: new Error('disk full') });
    expect(formatError(again, {}, local)).toBe('load failed: disk full (DEBUG=1 shows the stack trace)');
  });
});

describe('redact', () => {
  it('masks every secret setting that lib/config knows (each one it reads as NAME or NAME_PARAM)', () => {
    const dir = join(import.meta.dirname, '../../lib/config');
    const names = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/\b([A-Z][A-Z0-9_]+)_PARAM:/g)].map((m) => m[1]!),
    );
    expect(names.length).toBeGreaterThanOrEqual(7);
    for (const name of new Set(names)) {
      const value = `value-of-${name.toLowerCase()}`;
      expect(redact(`failed with ${value}`, { [name]: value }), name).toBe('failed with ***');
    }
  });
});

/** A fresh local state folder (LOCAL_STATE_DIR) per test, so no command touches the repo's .local/. */
const stateDir = useTempDirs('ml-cli-');

describe('the commands', { timeout: 120_000 }, () => {
  let sim: MeetingSimulator;
  let busy: Server;
  let busyPort = 0;
  let closedPort = 0;
  beforeAll(async () => {
    // A port nothing listens on: bound, then closed.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    sim = await startMeetingSimulator();
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    await sim.close();
    await new Promise((resolve) => busy.close(resolve));
  });

  it('npm start against a tenant refusing the password: one line, exit 1, no stack, no password', async () => {
    const run = await runScript('start.ts', [], {
      MEETING_ENDPOINT: sim.url,
      MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
      MEETING_PASSWORD: 'Not#ThePassw0rd',
    });
    expect(run.code).toBe(1);
    expect(run.errorLines).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Meeting login failed at ${sim.url}: HTTP 401 USG\\.206010000 "[^"]+" \\(request id [0-9a-f-]+\\): check MEETING_ACCOUNT / MEETING_PASSWORD$`,
        ),
      ),
    ]);
    expect(`${run.stdout}${run.stderr}`).not.toContain('Not#ThePassw0rd');
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('with DEBUG=1 the stack trace follows the line (still without the password)', async () => {
    const run = await runScript('start.ts', [], {
      MEETING_ENDPOINT: sim.url,
      MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
      MEETING_PASSWORD: 'Not#ThePassw0rd',
      DEBUG: '1',
    });
    expect(run.code).toBe(1);
    expect(run.errorLines[0]).toMatch(/^Meeting login failed at /);
    expect(run.stderr).toMatch(STACK_LINE);
    expect(run.stderr).not.toContain('Not#ThePassw0rd');
  });

  it.each([
    ['simulator.ts', {}],
    ['dev.ts', {}],
  ])('npm run %s on a port in use: one line, exit 1', async (script, env) => {
    const run = await runScript(script, [], { PORT: String(busyPort), LOCAL_STATE_DIR: stateDir(), ...env });
    expect(run.code).toBe(1);
    expect(run.errorLines.filter((l) => !l.startsWith('{'))).toEqual([
      `Port ${busyPort} on 127.0.0.1 is already in use: stop the program using it, or set PORT to a free port`,
    ]);
    expect(run.stderr).not.toMatch(STACK_LINE);
  });

  it('--stage without AWS credentials or region, or a closed endpoint: the real cause in one line, the hint for the mode', async () => {
    // No network needed: aws-lite fails before any call (no credentials, no region), or on a closed port.
    const noAws = { HOME: stateDir(), AWS_EC2_METADATA_DISABLED: 'true', LOCAL_STATE_DIR: stateDir() };
    const fake = { AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret-key-0123' };
    const AWS =
      'check the AWS credentials (AWS_PROFILE, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY) and AWS_REGION, and that the stage is deployed there';
    const dlq = await runScript('dlq.ts', ['list', '--stage', 'prod'], noAws);
    expect([dlq.code, dlq.errorLines]).toEqual([
      1,
      [
        `AWS client setup failed: Unable to find AWS credentials via params, environment variables, SSO, or credential / config files: ${AWS}`,
      ],
    ]);
    const history = await runScript('history.ts', ['--stage', 'prod', 'E1'], { ...noAws, ...fake });
    expect([history.code, history.errorLines]).toEqual([
      1,
      [
        expect.stringMatching(
          new RegExp(
            `^DynamoDB store \\w+ failed \\(retryable\\): AWS client setup failed: Unable to find AWS region via params, environment variables, or credential / config files: ${AWS.replace(/[()]/g, '\\$&')}$`,
          ),
        ),
      ],
    ]);
    const ssm = await runScript('offboarding.ts', ['approve', 'stage-1', '--stage', 'prod'], {
      ...noAws,
      ...fake,
      MEETING_REGION: 'cn-north-4',
      MEETING_ACCOUNT: 'admin',
      MEETING_PASSWORD_PARAM: '/meeting/password',
    });
    expect([ssm.code, ssm.errorLines]).toEqual([
      1,
      [
        `AWS client setup failed: Unable to find AWS region via params, environment variables, or credential / config files: ${AWS}`,
      ],
    ]);
    const closed = await runScript('history.ts', ['E1'], {
      ...noAws,
      TABLE_NAME: 'meeting-lifecycle-test',
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${closedPort}`,
    });
    expect([closed.code, closed.errorLines]).toEqual([
      1,
      [
        expect.stringMatching(
          new RegExp(
            `^DynamoDB store \\w+ failed \\(retryable\\): DynamoDB\\.\\w+: connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}: check DYNAMODB_ENDPOINT and TABLE_NAME$`,
          ),
        ),
      ],
    ]);
    for (const run of [dlq, history, ssm, closed]) {
      expect(run.stderr).not.toMatch(/\[object Object\]|fake-secret-key|DEBUG=1/);
      expect(run.stderr).not.toMatch(STACK_LINE);
    }
  });

  it.each([
    ['SIM_LATENCY_MS', 'abc', 'SIM_LATENCY_MS must be a whole number (0 or more)'],
    ['SIM_FAULTS', '{"errorRate":', 'SIM_FAULTS must be JSON'],
    ['SIM_FAULTS', '[0.1]', 'SIM_FAULTS must be a JSON object (FaultConfig)'],
    ['PORT', '70000', 'PORT must be a whole number from 0 to 65535'],
  ])(
    'npm run simulator with %s=%s: one line pointing at simulator/README.md, where its settings are',
    async (name, value, message) => {
      const run = await runScript('simulator.ts', [], { [name]: value });
      expect([run.code, run.errorLines]).toEqual([
        1,
        [`Configuration error: ${message}: see simulator/README.md "npm run simulator"`],
      ]);
    },
  );

  it('npm run offboarding: list needs only the table, approve needs Meeting; without a command: usage, exit 2', async () => {
    const env = { LOCAL_STATE_DIR: stateDir() };
    const list = await runScript('offboarding.ts', ['list'], env);
    expect([list.code, list.stdout, list.errorLines]).toEqual([
      0,
      'The circuit breaker is closed: nothing is staged.\n',
      [],
    ]);
    const approve = await runScript('offboarding.ts', ['approve', 'stage-x'], env);
    expect(approve.code).toBe(1);
    expect(approve.errorLines).toEqual([
      expect.stringMatching(
        /^Configuration error: invalid configuration: MEETING_ENDPOINT \/ MEETING_REGION: npm run offboarding approve needs Meeting: start npm run dev /,
      ),
    ]);
    expect((await runScript('offboarding.ts', [], env)).code).toBe(2);
  });

  it('npm run reconcile: usage, a missing file, a bad header, no Meeting, each in one line; bad rows by line number', async () => {
    const dir = stateDir();
    const env = { LOCAL_STATE_DIR: dir };
    expect((await runScript('reconcile.ts', [], env)).code).toBe(2);
    const missing = await runScript('reconcile.ts', ['--roster', 'no-such-roster.csv'], env);
    expect([missing.code, missing.errorLines]).toEqual([1, ['no-such-roster.csv: no such file']]);
    const header = join(dir, 'header.csv');
    writeFileSync(header, 'employeeId,status,name,mail\n');
    const refused = await runScript('reconcile.ts', ['--roster', header], env);
    expect([refused.code, refused.errorLines]).toEqual([
      1,
      [
        `${header}: line 1: the header unknown column(s) mail (expected employeeId,status,name,email,phone,country,account,englishName,deptCode,title,admin)`,
      ],
    ]);
    const roster = join(dir, 'roster.csv');
    writeFileSync(
      roster,
      'employeeId,status,name,email\nE1,active,Ann,ann@corp.example\nE2,gone,Bob,bob@corp.example\n',
    );
    const noMeeting = await runScript('reconcile.ts', ['--roster', roster], env);
    expect(noMeeting.code).toBe(1);
    expect(noMeeting.errorLines.at(-1)).toMatch(
      /^Configuration error: invalid configuration: MEETING_ENDPOINT \/ MEETING_REGION: npm run reconcile needs Meeting: start npm run dev \(it hosts the local Meeting simulator\)/,
    );
    const plan = await runScript('reconcile.ts', ['--roster', roster, '--json'], {
      ...env,
      MEETING_ENDPOINT: sim.url,
      MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
      MEETING_PASSWORD: DEMO_CREDENTIALS.password,
    });
    expect(plan.code).toBe(0);
    expect(plan.errorLines).toEqual([expect.stringMatching(new RegExp(`^${roster}:3: skipped: status: `))]);
    expect(JSON.parse(plan.stdout)).toMatchObject({
      summary: { create: 1 },
      actions: expect.arrayContaining([
        { employeeId: 'E1', action: 'create', account: 'E1', reason: 'no existing member matched' },
      ]),
    });
    expect(plan.stdout).not.toContain(DEMO_CREDENTIALS.password);
  });

  it('npm run history and npm run dlq: usage exit 2; a bad employee id in one line', async () => {
    const env = { LOCAL_STATE_DIR: stateDir() };
    expect((await runScript('history.ts', [], env)).code).toBe(2);
    const bad = await runScript('history.ts', ['no spaces please'], env);
    expect([bad.code, bad.errorLines]).toEqual([
      1,
      ['"no spaces please" is not an employee id (letters, digits, _ . @ -, at most 64)'],
    ]);
    expect((await runScript('dlq.ts', [], env)).code).toBe(2);
    expect((await runScript('dlq.ts', ['replay'], env)).code).toBe(2);
    const none = await runScript('dlq.ts', ['replay', 'nonexistent-id'], env);
    expect([none.code, none.stdout, none.errorLines]).toEqual([
      1,
      '',
      [
        'not in the DLQ (or hidden behind 10 messages of the same employee): nonexistent-id: list them with npm run dlq -- list',
      ],
    ]);
    const empty = await runScript('dlq.ts', ['list'], env);
    expect([empty.code, empty.stdout]).toEqual([0, expect.stringMatching(/^Empty\.$/m)]);
  });

  it('a reader that goes away (| head -1) ends a command quietly with exit 0, not "write EPIPE"', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'scripts', 'history.ts'), 'E100232'],
      {
        cwd: root,
        env: { ...cleanEnv(), LOCAL_STATE_DIR: stateDir() },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    // The read end closes before the command writes: its first line meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const code = await new Promise<number | null>((done) => child.once('close', (c) => done(c)));
    expect([code, stderr]).toEqual([0, '']);
  });

  it('npm run sign-event refuses a body that is not a valid delivery unless --force', async () => {
    const env = { WEBHOOK_SECRETS: `whsec_${Buffer.from('0123456789abcdef01234567').toString('base64')}` };
    const bad = join(root, 'package.json');
    const refused = await runScript('sign-event.ts', [bad, '--curl', 'http://localhost:3000/hr/events'], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.errorLines).toEqual([
      expect.stringMatching(/^sign-event: .*package\.json is not a valid delivery: \$\..*add --force/),
    ]);
    const forced = await runScript(
      'sign-event.ts',
      [bad, '--force', '--curl', 'http://localhost:3000/hr/events'],
      env,
    );
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/^curl -sS -X POST 'http:\/\/localhost:3000\/hr\/events' -H /);
    const valid = await runScript('sign-event.ts', ['--curl', 'http://localhost:3000/hr/events'], env);
    expect([valid.code, valid.errorLines]).toEqual([0, []]);
    const missing = await runScript('sign-event.ts', ['no-such-body.json'], env);
    expect([missing.code, missing.errorLines]).toEqual([1, ['no-such-body.json: no such file']]);
  });
});
