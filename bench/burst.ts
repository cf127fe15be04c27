import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { EVENT_TYPES } from '../lib/events/schemas.js';
import { mergeEvent } from '../lib/lifecycle/hr-state.js';
import { addMemberInputFor, memberAccountFor } from '../lib/lifecycle/member-mapping.js';
import { nextRecord } from '../lib/lifecycle/plan.js';
import type { LifecycleContext } from '../lib/lifecycle/types.js';
import { MEMBER_STATUS } from '../lib/meeting/schemas.js';
import { employeeToItem } from '../lib/store/items.js';
import { EMPLOYEE_STATUS, type EmployeeRecord } from '../lib/store/types.js';
import type { DynamoTally } from '../local/dynamo.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import { startLocalStack } from '../local/stack.js';
import { postSignedWebhook } from '../local/webhook-client.js';
import { atMost, elapsed, exactly, fmt, inSection, type Row, runPool } from './support.js';

const READ_OPERATIONS = ['GetItem', 'Query', 'Scan', 'BatchGetItem'];
const BUFFER_ITEM_TYPES = ['pending-disable', 'pending-disable-marker'];
const sum = (counts: Record<string, number>, keys: readonly string[]) =>
  keys.reduce((total, key) => total + (counts[key] ?? 0), 0);

/**
 * DynamoDB reads as the local DynamoDB answered them, for every function of the stack: read
 * requests, items read (GetItem found, Query/Scan ScannedCount, BatchGetItem returned: what
 * DynamoDB bills as items read) and, of those, items of the pending-disable buffer.
 */
const readsOf = (tally: DynamoTally) => ({
  requests: sum(tally.requests, READ_OPERATIONS),
  items: sum(tally.itemsRead, READ_OPERATIONS),
  bufferItems: sum(tally.itemsReadByType, BUFFER_ITEM_TYPES),
});

/**
 * Setup, not measured: members created in Meeting and employee records written as a hire
 * leaves them (25 per BatchWriteItem), much faster than 50,000 hires through the worker.
 */
const seedHires = async (
  ctx: LifecycleContext,
  // The burst's own factory: versions only grow, so the terminations are newer than the hires.
  events: ReturnType<typeof createHrEventFactory>,
  doc: DynamoDBDocumentClient,
  tableName: string,
  ids: string[],
) => {
  const records: EmployeeRecord[] = [];
  await runPool(ids.length, 32, async (i) => {
    const event = events(EVENT_TYPES.hired, ids[i]!, sampleMember(ids[i]!, i));
    // What a hire does (lib/lifecycle/apply-event.ts, createMember), with the domain's own functions.
    const merge = mergeEvent(undefined, event);
    const profile = merge.hr.profile!;
    const account = memberAccountFor(event, ctx.accountType);
    const member = await ctx.meeting.createMember(
      addMemberInputFor(profile.value, event.employeeId, account, ctx),
    );
    const applied = {
      status: EMPLOYEE_STATUS.active,
      isAdmin: false,
      profileApplied: profile.version,
      memberId: member.id,
    };
    records.push(
      nextRecord({
        previous: undefined,
        employeeId: event.employeeId,
        account,
        event,
        merge,
        applied,
        now: Date.now(),
      }),
    );
  });
  await runPool(Math.ceil(records.length / 25), 8, async (c) => {
    const puts = records
      .slice(c * 25, (c + 1) * 25)
      .map((r) => ({ PutRequest: { Item: employeeToItem(r) } }));
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: puts } }));
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('seeding: unprocessed items');
  });
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Issue 12's mass offboarding: `people` terminations posted within seconds through the real path
 * (signed webhook → FIFO queue → worker → pending-disable buffer → batch status calls), then
 * cleanup deleting them (retention 0). Baseline, measured in the same run: the same terminations
 * applied without the buffer (one status call per person), as a naive worker would.
 * The circuit breaker is raised out of the way: in production this burst would be staged for
 * approval first, and the approved stage is flushed the same way.
 */
export const benchBurst = async (options: {
  people: number;
  baselinePeople: number;
  progress?: (line: string) => void;
}): Promise<Row[]> => {
  const progress = options.progress ?? (() => undefined);
  const stack = await startLocalStack({
    env: {
      RETENTION_DAYS: '0',
      OFFBOARD_BREAKER_MAX_COUNT: '10000000',
      OFFBOARD_BREAKER_MAX_PERCENT: '100',
      // Past this count the percentage rule applies; at 100 % it still trips on a count of
      // managed members taken while records move between states, so it is raised too.
      CLEANUP_GUARD_MIN_COUNT: '10000000',
      CLEANUP_MAX_DELETES: '10000000',
      CLEANUP_MAX_DELETE_PERCENT: '100',
    },
    workerConcurrency: 4,
    // dynalite on the other core: a run this long would otherwise share one event loop with it.
    dynamo: { count: true, separateProcess: true },
  });
  const tally = stack.dynamo.tally!;
  const secret = stack.webhookSecrets.split(' ')[0]!;
  const events = createHrEventFactory({ idPrefix: 'burst' });
  const terminate = (id: string, n: number) => events(EVENT_TYPES.terminated, id, sampleMember(id, n));
  const postAll = async (ids: readonly string[]) => {
    await runPool(Math.ceil(ids.length / 100), 4, async (d) => {
      const batch = ids.slice(d * 100, (d + 1) * 100).map((id, i) => terminate(id, d * 100 + i));
      const res = await postSignedWebhook(stack.webhookUrl, secret, batch);
      if (res.status !== 202) throw new Error(`webhook answered ${res.status}`);
    });
    await stack.drain(1_800_000);
  };
  try {
    const sim = stack.simulator!;
    const lifecycle = await stack.getLifecycle();
    const hire = (id: string, n: number) =>
      lifecycle.applyEvent(events(EVENT_TYPES.hired, id, sampleMember(id, n)));
    const statusOf = (id: string) => sim.members().find((m) => m.thirdAccount === id)?.status;

    // A lone termination, on a quiet system: webhook to disabled (one lingering poll).
    const lone: number[] = [];
    for (const id of ['L0', 'L1', 'L2']) {
      await hire(id, 0);
      const started = performance.now();
      await postSignedWebhook(stack.webhookUrl, secret, [terminate(id, 0)]);
      while (statusOf(id) !== 1) await new Promise((resolve) => setTimeout(resolve, 2));
      lone.push(performance.now() - started);
      await stack.drain();
    }

    // Setup (not measured): hires applied directly, the same records and members as the webhook path.
    const ids = Array.from({ length: options.people }, (_, i) => `B${i}`);
    progress(`burst: seeding ${fmt(options.people, 0)} employees (setup)`);
    await seedHires(lifecycle.context, events, stack.dynamo.doc, stack.dynamo.tableName, ids);

    progress(`burst: ${fmt(options.people, 0)} terminations through the webhook`);
    sim.resetCounters();
    await tally.reset();
    const burst = await elapsed(() => postAll(ids));
    const burstReads = readsOf(await tally.snapshot());
    const disableCalls = sim.counters().calls.setMembersStatus ?? 0;
    const burstCalls = sim.counters().businessCalls;
    const burstIds = new Set(ids);
    const stillEnabled = sim
      .members()
      .filter((m) => burstIds.has(String(m.thirdAccount)) && m.status !== 1).length;

    progress(`burst: cleanup deleting ${fmt(options.people, 0)} members`);
    sim.resetCounters();
    const cleanup = await elapsed(() => stack.runCleanup());
    const deleteCalls = sim.counters().calls.deleteMembers ?? 0;
    const remaining = sim.members().filter((m) => burstIds.has(String(m.thirdAccount))).length;

    // Baseline: an integration without the buffer: it reads the record, then one status call each.
    progress(`burst: baseline of ${fmt(options.baselinePeople, 0)} terminations without the buffer`);
    const baseIds = Array.from({ length: options.baselinePeople }, (_, i) => `N${i}`);
    await runPool(baseIds.length, 8, (i) => hire(baseIds[i]!, i));
    sim.resetCounters();
    await tally.reset();
    await runPool(baseIds.length, 8, async (i) => {
      const record = await lifecycle.context.store.getEmployee(baseIds[i]!);
      await lifecycle.context.meeting.setMembersStatus([record!.account], MEMBER_STATUS.disabled);
    });
    const baseReads = readsOf(await tally.snapshot());
    const baseCallsPerPerson = sim.counters().businessCalls / baseIds.length;

    const section = `burst: ${fmt(options.people, 0)} terminations (breaker raised)`;
    const perPerson = (n: number) => n / options.people;
    return inSection(section, [
      {
        metric: 'lone termination: webhook to disabled (median of 3)',
        value: median(lone),
        unit: 'ms',
        digits: 0,
      },
      { metric: 'time until all are disabled', value: burst.seconds, unit: 's', digits: 1 },
      {
        metric: 'Meeting API calls per offboarded person',
        value: perPerson(burstCalls),
        unit: 'calls/person',
        digits: 4,
        baseline: { value: baseCallsPerPerson, note: 'no buffer' },
        ratio: 'fewer',
        goal: atMost(0.02),
      },
      { metric: 'batch status calls', value: disableCalls, unit: 'calls' },
      {
        metric: 'DynamoDB items read per person (every function)',
        value: perPerson(burstReads.items),
        unit: 'items/person',
        digits: 2,
        baseline: { value: baseReads.items / baseIds.length, note: 'no buffer' },
        ratio: 'times',
        goal: atMost(5),
      },
      {
        metric: '  of which pending-disable buffer items',
        value: perPerson(burstReads.bufferItems),
        unit: 'items/person',
        digits: 2,
      },
      {
        metric: 'DynamoDB read requests per person',
        value: perPerson(burstReads.requests),
        unit: 'requests/person',
        digits: 2,
        baseline: { value: baseReads.requests / baseIds.length, note: 'no buffer' },
      },
      { metric: 'left enabled after the burst', value: stillEnabled, unit: 'members', goal: exactly(0) },
      {
        metric: 'cleanup: calls per deleted person',
        value: perPerson(deleteCalls),
        unit: 'calls/person',
        digits: 3,
        baseline: { value: 1, note: 'one delete each' },
        ratio: 'fewer',
        goal: atMost(0.05),
      },
      { metric: 'cleanup: members left', value: remaining, unit: 'members', goal: exactly(0) },
      { metric: 'cleanup: time', value: cleanup.seconds, unit: 's', digits: 1 },
    ]);
  } finally {
    await stack.stop();
  }
};
