import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { employeeHistory } from '../../lib/lifecycle/history.js';
import { createAwsLiteSqs } from '../../lib/queue/aws-lite-sqs.js';
import { createSqsDeadLetterQueue, type DeadLetterQueue } from '../../lib/queue/sqs-dead-letters.js';
import type { SqsPort } from '../../lib/queue/sqs-port.js';
import { localAwsTarget } from '../../lib/shared/aws-client.js';
import { sleep } from '../../lib/shared/clock.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, QUEUE_NAMES, startLocalStack } from '../../local/stack.js';
import { postSignedWebhook } from '../../local/webhook-client.js';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { runScript } from '../helpers/run-script.js';

/**
 * The operator's view of a running system (docs/operations.md): one employee's history after a
 * mixed history, and the dead-letter tools, over the local stack (webhook, queue, worker,
 * simulator, dynalite) and its SQS-compatible endpoint.
 */

let stack: LocalStack;
let sqs: SqsPort;
let dlq: DeadLetterQueue;
const events = createHrEventFactory({ idPrefix: 'ops' });

const post = (payload: unknown) =>
  postSignedWebhook(stack.webhookUrl, stack.webhookSecrets.split(' ')[0]!, payload);
/** Straight to the queue, as a direct producer would (docs/queue-contract.md). */
const enqueue = (body: unknown, groupId: string, deduplicationId: string) =>
  stack.queue.send([{ body: JSON.stringify(body), groupId, deduplicationId }]);

const waitFor = async (what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** What a command started beside this stack needs (the table, the queues, the simulator). */
const commandEnv = () => ({
  TABLE_NAME: stack.dynamo.tableName,
  DYNAMODB_ENDPOINT: stack.dynamo.endpoint,
  SQS_ENDPOINT: stack.sqs!.endpoint,
  QUEUE_URL: stack.sqs!.urlOf(QUEUE_NAMES.events),
  DEAD_LETTER_QUEUE_URL: stack.sqs!.urlOf(QUEUE_NAMES.deadLetters),
  MEETING_ENDPOINT: stack.simulator!.url,
  MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
  MEETING_PASSWORD: DEMO_CREDENTIALS.password,
});

beforeAll(async () => {
  stack = await startLocalStack({
    // A transient failure dead-letters after 5 receives here (50 deployed), each handed back at once.
    maxReceiveCount: 5,
    redelivery: { baseMs: 10, capMs: 10, pauseMs: 0 },
    exposeQueues: true,
    env: { MEETING_MAX_ATTEMPTS: '1', DISABLE_LINGER_MS: '0' },
  });
  sqs = createAwsLiteSqs(localAwsTarget(stack.sqs!.endpoint));
  dlq = createSqsDeadLetterQueue({
    client: sqs,
    deadLetterQueueUrl: stack.sqs!.urlOf(QUEUE_NAMES.deadLetters),
    queueUrl: stack.sqs!.urlOf(QUEUE_NAMES.events),
    waitSeconds: 0,
  });
});
afterAll(async () => {
  await stack.stop();
});

describe("one employee's history", { timeout: 120_000 }, () => {
  it('shows every event, what was done with it and the Meeting calls it made, beside Meeting now', async () => {
    const lifecycle = await stack.getLifecycle();
    const id = 'H1';
    const hire = events(EVENT_TYPES.hired, id, sampleMember(id, 1));
    await post(hire);
    await stack.drain();
    const update = events(EVENT_TYPES.updated, id, sampleMember(id, 1, { title: 'Lead' }));
    await post(update);
    await stack.drain();
    // A late, older update; then the newest one again from another producer (not deduplicated by SQS).
    await post({
      ...update,
      id: 'ops-late',
      version: update.version - 1,
      member: { ...update.member, title: 'Old' },
    });
    await enqueue(update, id, 'ops-again');
    await stack.drain();

    // A Meeting outage on the next update: it fails, returns to the queue, and goes through once Meeting is back.
    stack.simulator!.setFaults({ errorRate: 1, apis: ['updateMember'] });
    const retried = events(EVENT_TYPES.updated, id, sampleMember(id, 1, { title: 'Head' }));
    await post(retried);
    await waitFor('the first attempt', async () =>
      (await lifecycle.context.store.listAudit(id)).some((e) => e.outcome === 'failed'),
    );
    stack.simulator!.setFaults(undefined);
    await stack.drain();

    await post(events(EVENT_TYPES.adminGranted, id, sampleMember(id, 1, { title: 'Head' })));
    // Far enough ahead to be stored first on a slow machine too; then waited for.
    const effectiveAt = new Date(Date.now() + 3_000).toISOString();
    await post(events(EVENT_TYPES.terminated, id, sampleMember(id, 1, { title: 'Head' }), { effectiveAt }));
    await enqueue(
      { id: 'ops-broken', type: 'employee.updated', employeeId: id, version: 1 },
      id,
      'ops-broken',
    );
    await stack.drain();
    await sleep(Date.parse(effectiveAt) - Date.now() + 50);
    await stack.runCleanup(); // the termination comes due

    const all = await employeeHistory(lifecycle.context, id);
    // How often the update failed before Meeting was back depends on timing: at least once.
    const failures = all.events.filter((e) => e.outcome === 'failed');
    expect(failures.map((e) => e.receiveCount)).toEqual(failures.map((_, i) => i + 1));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    const history = { ...all, events: all.events.filter((e) => !failures.slice(1).includes(e)) };
    expect(history.events.map((e) => [e.eventId, e.outcome])).toEqual([
      [hire.id, 'created'],
      [update.id, 'updated'],
      ['ops-late', 'stale'],
      [update.id, 'duplicate'],
      [retried.id, 'failed'],
      [retried.id, 'updated'],
      [expect.any(String), 'adminGranted'],
      [expect.any(String), 'scheduled'],
      ['ops-broken', 'dead-lettered'],
      [expect.any(String), 'disabled'], // the first change (access goes first); `changes` lists them all
    ]);
    const [created, , stale, , failed, updated, , scheduled, broken, disabled] = history.events;
    expect(created).toMatchObject({
      type: 'employee.hired',
      version: hire.version,
      receiveCount: 1,
      source: 'queue',
      changes: ['created'],
      calls: [`ensureMember ${id}`],
    });
    expect(created!.receivedAt).toBeLessThanOrEqual(created!.at);
    expect(stale?.reason).toMatch(/not newer/);
    expect(failed).toMatchObject({ receiveCount: 1, reason: expect.stringMatching(/updateMember/) });
    expect(updated).toMatchObject({ receiveCount: failures.length + 1, calls: [`updateMember ${id}`] });
    expect(scheduled).toMatchObject({ effectiveAt, reason: expect.stringMatching(/applied when due/) });
    expect(broken).toMatchObject({ type: 'employee.updated', reason: expect.stringMatching(/member/) });
    expect(disabled).toMatchObject({
      source: 'schedule',
      changes: ['disabled', 'adminRevoked'],
      // The disable is queued first and sent by the flush, after the revoke's call.
      calls: [`deleteAdmins ${id}`, `setMembersStatus ${id} (disable, batched)`],
    });
    expect(history.record).toMatchObject({ status: 'disabled', isAdmin: false });
    expect(history.meeting).toMatchObject({
      state: 'found',
      status: 'disabled',
      admin: 'no',
      differences: [],
    });
    expect(history.pendingDisable).toBe(false);

    // The command prints the same, in one process beside the stack.
    const run = await runScript('history.ts', [id], commandEnv());
    expect([run.code, run.errorLines]).toEqual([0, []]);
    expect(run.stdout).toMatch(/^Our record: {2}disabled, admin no, account H1/m);
    expect(run.stdout).toMatch(/^Meeting now: disabled, admin no, account H1; in step with our record$/m);
    expect(run.stdout).toContain(`Events (${all.events.length}, oldest first)`);
    expect(run.stdout).toMatch(/→ failed: MeetingError: updateMember/);
    expect(run.stdout).toMatch(/Meeting calls: deleteAdmins H1; setMembersStatus H1 \(disable, batched\)/);
    const json = await runScript('history.ts', [id, '--json'], commandEnv());
    expect(JSON.parse(json.stdout).events).toHaveLength(all.events.length);

    // Without Meeting settings it still shows our side, and says Meeting was not read.
    const { MEETING_ENDPOINT: _e, MEETING_ACCOUNT: _a, MEETING_PASSWORD: _p, ...tableOnly } = commandEnv();
    const offline = await runScript('history.ts', [id], tableOnly);
    expect(offline.code).toBe(0);
    expect(offline.stdout).toMatch(/^Meeting now: not read \(Meeting not configured\)$/m);
  });
});

describe('dead letters', { timeout: 120_000 }, () => {
  it('lists them with reason, event and receive count; replay sends them back and removes them', async () => {
    const lifecycle = await stack.getLifecycle();
    await dlq.replay('all'); // what earlier tests left
    await stack.drain();
    const start = (await dlq.list()).messages.length;

    // A permanent failure is dead-lettered at once; a transient one after 5 receives.
    await enqueue(
      { id: 'dl-broken', type: 'employee.hired', employeeId: 'D1', version: 1 },
      'D1',
      'dl-broken',
    );
    stack.simulator!.setFaults({ errorRate: 1, apis: ['createMember'] });
    const hire = events(EVENT_TYPES.hired, 'D2', sampleMember('D2', 2));
    await post(hire);
    await waitFor('5 receives', () => stack.dlq.stats().visible >= start + 2);
    stack.simulator!.setFaults(undefined);

    const listing = await dlq.list();
    expect(listing.approximateTotal).toBe(start + 2);
    const broken = listing.messages.find((m) => m.groupId === 'D1')!;
    const exhausted = listing.messages.find((m) => m.groupId === 'D2')!;
    expect(broken).toMatchObject({ receiveCount: 1, attributes: { eventId: 'dl-broken' } });
    expect(broken.attributes.reason).toMatch(/^EventValidationError: queued event is invalid: \$\.member/);
    expect(exhausted).toMatchObject({ receiveCount: 5, deduplicationId: hire.id });
    expect(exhausted.attributes.reason).toMatch(/createMember/);
    expect(JSON.parse(exhausted.body)).toEqual(hire);
    // Listing holds nothing back: everything is visible again afterwards.
    expect(stack.dlq.stats().visible).toBe(start + 2);

    // The command shows the same.
    const list = await runScript('dlq.ts', ['list'], commandEnv());
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(
      `${exhausted.messageId}  D2  employee.hired ${hire.id} v${hire.version}  receives 5`,
    );
    expect(list.stdout).toMatch(/reason: EventValidationError: queued event is invalid/);
    const show = await runScript('dlq.ts', ['show', broken.messageId], commandEnv());
    expect(show.stdout).toMatch(/^reason {4}EventValidationError/m);

    // Replaying one: the cause is fixed, so it is applied now, and leaves the DLQ.
    const replay = await runScript('dlq.ts', ['replay', exhausted.messageId], commandEnv());
    expect([replay.code, replay.errorLines]).toEqual([0, []]);
    await stack.drain();
    expect(stack.simulator!.members().some((m) => m.thirdAccount === 'D2')).toBe(true);
    expect((await dlq.list()).messages.map((m) => m.messageId)).not.toContain(exhausted.messageId);
    expect((await employeeHistory(lifecycle.context, 'D2')).events.at(-1)).toMatchObject({
      outcome: 'created',
    });

    // Replaying it again: it is gone. Replaying it anyway (the version guard) changes nothing.
    const again = await runScript('dlq.ts', ['replay', exhausted.messageId], commandEnv());
    expect(again.code).toBe(1);
    expect(again.errorLines).toEqual([
      expect.stringMatching(/^not in the DLQ .*: list them with npm run dlq -- list$/),
    ]);
    expect(again.stdout).toBe(''); // nothing matched: no "0 message(s) sent back"

    // Replaying all: the malformed one fails again and is back in the DLQ exactly once.
    expect((await dlq.replay('all')).replayed.map((m) => m.groupId)).toContain('D1');
    await stack.drain();
    await waitFor('the malformed event back', async () =>
      (await dlq.list()).messages.some((m) => m.groupId === 'D1'),
    );
    expect((await dlq.list()).messages.filter((m) => m.groupId === 'D1')).toHaveLength(1);
  });
});
