import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { LOCAL_TEST_SECRET } from '../../lib/webhook/secrets.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { startLocalStack } from '../../local/stack.js';
import { acquireState, LOCAL_PATHS, readOwner } from '../../local/state.js';
import { postSignedWebhook } from '../../local/webhook-client.js';
import { cleanEnv, root, runScript, STACK_LINE } from '../helpers/run-script.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * One persistent local state (local/state.ts): what `npm run dev` leaves is there for the next
 * run and for the commands; a command beside a running dev stack uses its endpoints; without one
 * it opens the state itself; two owners at once are refused in one line.
 */

const freshDir = useTempDirs('ml-state-');

const events = createHrEventFactory({ idPrefix: 'state' });

describe('the local state', { timeout: 180_000 }, () => {
  it('keeps records and dead letters between runs, and shares them with commands run beside the dev stack', async () => {
    const dir = freshDir();
    const env = { LOCAL_STATE_DIR: dir };

    // A first "npm run dev": a hire, and a malformed message that is dead-lettered.
    let state = acquireState(dir, 'npm run dev');
    let stack = await startLocalStack({ stateDir: dir });
    state.publish(stack.endpoints!);
    const hire = events(EVENT_TYPES.hired, 'S1', sampleMember('S1', 1));
    await postSignedWebhook(stack.webhookUrl, stack.webhookSecrets.split(' ')[0]!, hire);
    await stack.queue.send([
      { body: '{"id":"state-broken"}', groupId: 'S1', deduplicationId: 'state-broken' },
    ]);
    await stack.drain();
    expect(stack.dlq.stats().visible).toBe(1);

    // Commands beside it use its endpoints: its table, queues and simulator.
    const history = await runScript('history.ts', ['S1'], env);
    expect([history.code, history.errorLines]).toEqual([0, []]);
    expect(history.stdout).toMatch(/shared with npm run dev \(pid \d+\)/);
    expect(history.stdout).toMatch(/^Meeting now: enabled, admin no, account S1; in step with our record$/m);
    const roster = join(dir, 'roster.csv');
    writeFileSync(roster, 'employeeId,status,name,email,admin\nS2,active,Second,s2@corp.example,true\n');
    const reconcile = await runScript('reconcile.ts', ['--roster', roster, '--apply'], env);
    // The planned grant-admin is counted too, not only the employee's first change.
    expect([reconcile.code, reconcile.stdout]).toEqual([
      0,
      expect.stringMatching(
        /^Applied: created 1 \(employees by outcome\); changes made in Meeting: created 1 · adminGranted 1; 0 disable\(s\) sent as batch calls\.$/m,
      ),
    ]);
    // ...and what the command did is seen by the running stack.
    expect(stack.simulator!.members().some((m) => m.thirdAccount === 'S2')).toBe(true);
    expect((await (await stack.getLifecycle()).context.store.getEmployee('S2'))?.status).toBe('active');
    const list = await runScript('dlq.ts', ['list'], env);
    expect(list.stdout).toMatch(/ S1 {2}\? state-broken v\? {2}receives 1 /);

    await stack.stop();
    state.release();
    expect(readOwner(dir)).toBeUndefined();

    // Without a dev stack, a command opens the state itself: the data are still there.
    const offline = await runScript('history.ts', ['S1', '--json'], env);
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({
      record: { status: 'active' },
      events: [
        { eventId: hire.id, outcome: 'created' },
        { eventId: 'state-broken', outcome: 'dead-lettered' },
      ],
      meeting: { state: 'unavailable' },
    });
    const offlineList = await runScript('dlq.ts', ['list', '--json'], env);
    expect(JSON.parse(offlineList.stdout).messages).toEqual([
      expect.objectContaining({ groupId: 'S1', reason: expect.stringMatching(/EventValidationError/) }),
    ]);
    expect((await runScript('offboarding.ts', ['list'], env)).stdout).toMatch(/circuit breaker is closed/);

    // The next "npm run dev" finds both again.
    state = acquireState(dir, 'npm run dev');
    stack = await startLocalStack({ stateDir: dir });
    try {
      const store = (await stack.getLifecycle()).context.store;
      expect((await store.getEmployee('S1'))?.status).toBe('active');
      expect((await store.listAudit('S2')).map((e) => e.outcome)).toEqual(['created']);
      expect(stack.dlq.messages().map((m) => m.groupId)).toEqual(['S1']);
    } finally {
      await stack.stop();
      state.release();
    }
  });

  it('npm run dev with its default settings applies a signed hire end to end (its worker has the deployed time)', async () => {
    const dir = freshDir();
    const env = { LOCAL_STATE_DIR: dir };
    // The real command, with no setting but where its state lives and a free port.
    const dev = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'dev.ts')], {
      cwd: root,
      // Empty counts as unset (README.md "Configuration"): the defaults, and the banner says so.
      env: { ...cleanEnv(), ...env, PORT: '0', RETENTION_DAYS: '', CLEANUP_INTERVAL_SECONDS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => dev.once('exit', (code) => done(code)));
    try {
      let stdout = '';
      const url = await new Promise<string>((resolve, reject) => {
        dev.stdout!.on('data', (chunk: Buffer) => {
          stdout += chunk.toString('utf8');
          const found = /webhook: {4}POST (\S+)/.exec(stdout);
          if (found) resolve(found[1]!);
        });
        void exited.then((code) => reject(new Error(`npm run dev exited (${code}) before it was up`)));
      });
      dev.stderr!.resume();
      expect(stdout).toMatch(/^ {2}cleanup: {4}every 60 s \(RETENTION_DAYS=30\)$/m);
      const hire = events(EVENT_TYPES.hired, 'D1', sampleMember('D1', 1));
      expect((await postSignedWebhook(url, LOCAL_TEST_SECRET, hire)).status).toBe(202);
      // Waits for an outcome, not for a time: applied (in step) or dead-lettered, whichever comes.
      let history = await runScript('history.ts', ['D1'], env);
      for (let i = 0; i < 60 && !/in step with our record|dead-lettered/.test(history.stdout); i++) {
        await new Promise((r) => setTimeout(r, 500));
        history = await runScript('history.ts', ['D1'], env);
      }
      expect(history.stdout).toMatch(
        /^Meeting now: enabled, admin no, account D1; in step with our record$/m,
      );
      expect(JSON.parse((await runScript('dlq.ts', ['list', '--json'], env)).stdout)).toMatchObject({
        messages: [],
      });
    } finally {
      dev.kill('SIGINT');
      await exited;
    }
  });

  it('refuses a second owner in one line, and takes over the state of a process that is gone', async () => {
    const dir = freshDir();
    const env = { LOCAL_STATE_DIR: dir };
    const state = acquireState(dir, 'npm run reconcile');
    try {
      const refused = await runScript('history.ts', ['S1'], env);
      expect(refused.code).toBe(1);
      expect(refused.errorLines).toEqual([
        `the local state ${dir} is in use by npm run reconcile (pid ${process.pid}): wait for it to finish, or start npm run dev first so that commands share it`,
      ]);
      expect(refused.stderr).not.toMatch(STACK_LINE);
      const dev = await runScript('dev.ts', [], { ...env, PORT: '0' });
      expect(dev.code).toBe(1);
      expect(dev.errorLines.filter((l) => !l.startsWith('{'))).toEqual([
        expect.stringMatching(/^the local state .* is in use by npm run reconcile \(pid \d+\)/),
      ]);
    } finally {
      state.release();
    }
    // An owner file left by a process that died does not lock anyone out.
    writeFileSync(
      LOCAL_PATHS.owner(dir),
      JSON.stringify({ pid: 2 ** 22 + 12345, command: 'npm run dev', startedAt: '' }),
    );
    expect(readOwner(dir)).toBeUndefined();
    const taken = acquireState(dir, 'test');
    expect(readOwner(dir)).toBeUndefined(); // our own
    taken.release();
  });
});
