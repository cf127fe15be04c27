import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES, type HrEvent } from '../../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';
import { postSignedWebhook } from '../../local/webhook-client.js';

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

/**
 * The stack's visibility timeout is the worker timeout, as it should be: a batch is never handed
 * out twice while it runs, however slow the machine. Failures do not wait for it (the worker
 * hands them back with their own delay); only killed invocations do.
 */
const start = async (options: LocalStackOptions = {}) => {
  stack = await startLocalStack({
    ...options,
    env: { RETENTION_DAYS: '30', ...options.env },
  });
  return stack;
};
const post = (s: LocalStack, payload: unknown) =>
  postSignedWebhook(s.webhookUrl, s.webhookSecrets.split(' ')[0]!, payload);
const member = (s: LocalStack, id: string) => s.simulator!.members().find((m) => m.thirdAccount === id);

describe('webhook → queue → worker → Meeting', () => {
  it('applies hires, a duplicate and an out-of-order update with one Meeting call per hire', async () => {
    const s = await start();
    const events = createHrEventFactory({ idPrefix: 'flow' });
    const hires = Array.from({ length: 25 }, (_, i) =>
      events(EVENT_TYPES.hired, `F${i}`, sampleMember(`F${i}`, i)),
    );
    expect((await post(s, hires)).status).toBe(202);
    expect((await post(s, hires.slice(0, 5))).status).toBe(202); // HR resends (new delivery, same event ids)
    await s.drain();
    const c = s.simulator!.counters();
    expect(c.calls.createMember).toBe(25);
    expect(c.businessCalls).toBe(25);
    expect(c.auth).toBe(1);

    const newer = events(EVENT_TYPES.updated, 'F0', sampleMember('F0', 0, { title: 'Newer' }));
    const older = {
      ...newer,
      id: 'flow-older',
      version: newer.version - 1,
      member: { ...newer.member, title: 'Older' },
    };
    await post(s, newer);
    await s.drain();
    await post(s, older);
    await s.drain();
    expect(member(s, 'F0')?.title).toBe('Newer');
    expect(s.dlq.stats().sent).toBe(0);
  });

  it('recovers from workers killed mid-batch without losing or duplicating anything', async () => {
    let kills = 3;
    // A killed invocation hands nothing back: its batch returns when the visibility timeout ends.
    const s = await start({
      visibilityTimeoutMs: 200,
      beforeWorkerInvoke: () => {
        if (kills-- > 0) throw new Error('worker killed');
      },
    });
    const events = createHrEventFactory({ idPrefix: 'crash' });
    const batch: HrEvent[] = [];
    for (let i = 0; i < 15; i++) {
      batch.push(events(EVENT_TYPES.hired, `K${i}`, sampleMember(`K${i}`, i)));
      if (i % 3 === 0) batch.push(events(EVENT_TYPES.terminated, `K${i}`, sampleMember(`K${i}`, i)));
    }
    await post(s, batch);
    await s.drain();
    const members = s.simulator!.members().filter((m) => String(m.thirdAccount).startsWith('K'));
    expect(members).toHaveLength(15);
    for (const m of members) expect(m.status).toBe(Number(String(m.thirdAccount).slice(1)) % 3 === 0 ? 1 : 0);
    expect(s.dlq.stats().sent).toBe(0);
  });

  it('rides out transient Meeting failures (5xx, 429, resets) with no loss', async () => {
    const s = await start({
      simulator: {
        faults: { seed: 7, errorRate: 0.2, throttleRate: 0.1, retryAfterSeconds: 0, resetRate: 0.05 },
      },
    });
    const events = createHrEventFactory({ idPrefix: 'transient' });
    await post(
      s,
      Array.from({ length: 30 }, (_, i) => events(EVENT_TYPES.hired, `T${i}`, sampleMember(`T${i}`, i))),
    );
    await s.drain();
    s.simulator!.setFaults(undefined);
    expect(s.simulator!.members().filter((m) => String(m.thirdAccount).startsWith('T'))).toHaveLength(30);
    expect(s.dlq.stats().sent).toBe(0);
  });

  it("dead-letters a permanently failing event at once with its reason; the employee's later events and others flow", async () => {
    const s = await start();
    const deps = await s.getLifecycle();
    await deps.context.meeting.createMember({
      name: 'Someone else',
      account: 'X1',
      thirdAccount: 'not-ours',
      email: 'x@corp.example',
    });
    const events = createHrEventFactory({ idPrefix: 'poison' });
    const conflict = events(EVENT_TYPES.hired, 'X1', sampleMember('X1', 1));
    const later = events(EVENT_TYPES.updated, 'X1', sampleMember('X1', 1, { account: 'x1-own' }));
    await post(s, [conflict, later, events(EVENT_TYPES.hired, 'X2', sampleMember('X2', 2))]);
    await s.drain();
    expect(member(s, 'X2')?.status).toBe(0);
    const dead = s.dlq.messages();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ groupId: 'X1' });
    expect(dead[0]!.attributes).toMatchObject({
      eventId: conflict.id,
      reason: expect.stringMatching(/MemberConflictError/),
    });
    // Dead-lettered on the first receive: one create for the conflict, none retried.
    expect(s.simulator!.counters().calls.createMember).toBe(1 + 1 + 1 + 1);
    expect(member(s, 'X1')?.userAccount).toBe('x1-own');
  });
});
