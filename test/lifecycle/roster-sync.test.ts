import { describe, expect, it } from 'vitest';
import type { RosterRow } from '../../lib/events/roster.js';
import { EVENT_TYPES, type MemberFields } from '../../lib/events/schemas.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { applyRosterPlan, changesOf, planRoster, type RosterPlan } from '../../lib/lifecycle/roster-sync.js';
import type { AddMemberInput } from '../../lib/meeting/schemas.js';
import { createHrEventFactory } from '../../local/hr-event-factory.js';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import { type LifecycleEnv, useLifecycleEnv } from '../helpers/lifecycle-env.js';

/** The roster sync against the simulator and dynalite over real sockets (docs/operations.md "Initial load"). */

const row = (
  employeeId: string,
  member: Partial<MemberFields>,
  over: Partial<Omit<RosterRow, 'member'>> = {},
): RosterRow => ({
  line: 0,
  employeeId,
  status: 'active',
  admin: false,
  member: { name: `HR ${employeeId}`, email: `${employeeId.toLowerCase()}@corp.example`, ...member },
  ...over,
});

/** A member made by hand years ago: no HR id, its own account name. */
const handMade = (lifecycle: Lifecycle, input: Partial<AddMemberInput> & { account: string }) =>
  lifecycle.context.meeting.createMember({ name: `Hand ${input.account}`, sendNotify: '0', ...input });

const actionsOf = (plan: RosterPlan, employeeId: string) =>
  plan.actions.filter((a) => a.employeeId === employeeId).map((a) => `${a.action} ${a.account}`);

const membersWith = (env: LifecycleEnv, field: string, value: string) =>
  env.simulator.members().filter((m) => m[field] === value);

const events = createHrEventFactory({ idPrefix: 'roster-test' });

describe('roster sync, account mode', { timeout: 120_000 }, () => {
  const lifecycleEnv = useLifecycleEnv();

  it('adopts an existing member by each key (HR id, account, e-mail, phone) instead of creating a second one', async () => {
    const env = lifecycleEnv();
    const { lifecycle } = env;
    await handMade(lifecycle, { account: 'legacy.r1', thirdAccount: 'R1', email: 'old.r1@corp.example' });
    await handMade(lifecycle, { account: 'r2acct', email: 'old.r2@corp.example' });
    await handMade(lifecycle, { account: 'hand.r3', email: 'r3@corp.example' });
    await handMade(lifecycle, { account: 'hand.r4', phone: '+8613811110004', country: 'chinaPR' });
    const rows = [
      row('R1', {}),
      row('R2', { account: 'r2acct' }),
      row('R3', { account: 'r3.new' }),
      row('R4', { phone: '+8613811110004', country: 'chinaPR' }),
      row('R5', {}),
    ];

    const plan = await planRoster(lifecycle.context, rows);
    expect(actionsOf(plan, 'R1')).toEqual(['link legacy.r1', 'update legacy.r1']);
    expect(actionsOf(plan, 'R2')).toEqual(['link r2acct', 'update r2acct']);
    expect(actionsOf(plan, 'R3')).toEqual(['link hand.r3', 'update hand.r3']);
    expect(actionsOf(plan, 'R4')).toEqual(['link hand.r4', 'update hand.r4']);
    expect(actionsOf(plan, 'R5')).toEqual(['create R5']);
    expect(plan.actions.find((a) => a.employeeId === 'R3' && a.action === 'link')?.reason).toBe(
      'existing member matched by email: hand.r3',
    );
    const before = env.simulator.members().length;

    const report = await applyRosterPlan(lifecycle.context, plan);
    expect(report.failed).toEqual([]);
    expect(env.simulator.members().length).toBe(before + 1); // only R5 is new
    expect(membersWith(env, 'email', 'r3@corp.example')).toEqual([
      expect.objectContaining({ userAccount: 'hand.r3', name: 'HR R3' }),
    ]);
    const r3 = await lifecycle.context.store.getEmployee('R3');
    expect(r3).toMatchObject({ account: 'hand.r3', status: 'active', linked: { by: 'email' } });
    expect(r3?.accountType).toBeUndefined(); // account mode addresses by account anyway
    expect((await lifecycle.context.store.getEmployee('R4'))?.linked?.by).toBe('phone');

    // Idempotent: planning again right after shows nothing to change.
    expect(changesOf(await planRoster(lifecycle.context, rows))).toEqual([]);

    // A later event naming HR's account (r3.new) acts on the member it was linked to.
    await lifecycle.applyEvent(events(EVENT_TYPES.updated, 'R3', { ...rows[2]!.member, title: 'Lead' }));
    expect(membersWith(env, 'email', 'r3@corp.example')).toEqual([
      expect.objectContaining({ userAccount: 'hand.r3', title: 'Lead' }),
    ]);
    expect(membersWith(env, 'userAccount', 'r3.new')).toEqual([]);
  });

  it('never resolves an ambiguous match by a guess, and leaves unmanaged members alone', async () => {
    const env = lifecycleEnv();
    const { lifecycle } = env;
    await handMade(lifecycle, { account: 'dup.one', email: 'dup@corp.example' });
    await handMade(lifecycle, { account: 'dup.two', email: 'dup@corp.example' });
    await handMade(lifecycle, { account: 'theirs', thirdAccount: 'OTHER-1', email: 'c2@corp.example' });
    await handMade(lifecycle, { account: 'shared.box', email: 'shared@corp.example' });
    await handMade(lifecycle, { account: 'nobody.knows', email: 'orphan@corp.example', title: 'Keep' });
    const rows = [
      row('C1', { email: 'dup@corp.example' }),
      row('C2', { email: 'c2@corp.example' }),
      row('C3', { email: 'shared@corp.example' }),
      row('C4', { email: 'shared@corp.example' }),
      row('C5', { email: 'admin@demo.example' }),
    ];
    const untouched = () =>
      env.simulator
        .members()
        .filter((m) =>
          ['dup.one', 'dup.two', 'theirs', 'shared.box', 'nobody.knows', DEMO_CREDENTIALS.account].includes(
            String(m.userAccount),
          ),
        );
    const before = JSON.stringify(untouched());

    const plan = await planRoster(lifecycle.context, rows);
    const reasons = Object.fromEntries(
      plan.actions.filter((a) => a.action === 'conflict').map((a) => [a.employeeId, a.reason]),
    );
    expect(reasons).toEqual({
      C1: '2 members match by email: dup.one, dup.two',
      C2: 'member theirs (by email) carries another HR id, OTHER-1',
      C3: 'member shared.box matches several employees: C3, C4',
      C4: 'member shared.box matches several employees: C3, C4',
      C5: 'the enterprise default administrator is never managed by this system',
    });
    for (const id of ['C1', 'C2', 'C3', 'C4', 'C5']) expect(actionsOf(plan, id)).toHaveLength(1);
    expect(plan.actions).toContainEqual({
      employeeId: '',
      action: 'unmanaged',
      account: 'nobody.knows',
      reason: 'no HR id, matches no roster row',
    });
    expect(plan.actions).toContainEqual(
      expect.objectContaining({ action: 'unmanaged', account: 'theirs', employeeId: 'OTHER-1' }),
    );

    const report = await applyRosterPlan(lifecycle.context, plan);
    expect(report.outcomes).toEqual({});
    expect(JSON.stringify(untouched())).toBe(before);
    expect((await lifecycle.context.store.getEmployees(rows.map((r) => r.employeeId))).size).toBe(0);
  });

  it('tries the keys in the configured order', async () => {
    const env = lifecycleEnv();
    const { lifecycle } = env;
    await handMade(lifecycle, { account: 'k1', email: 'someone.else@corp.example' });
    await handMade(lifecycle, { account: 'k1.mail', email: 'k1@corp.example' });
    const rows = [row('K1', { account: 'k1', email: 'k1@corp.example' })];
    expect(actionsOf(await planRoster(lifecycle.context, rows), 'K1')[0]).toBe('link k1');
    expect(
      actionsOf(await planRoster(lifecycle.context, rows, { matchKeys: ['email', 'account'] }), 'K1')[0],
    ).toBe('link k1.mail');
  });

  it('disables matched leavers, staging them beyond the circuit breaker until an operator approves', async () => {
    const env = lifecycleEnv();
    const lifecycle = env.with({ breakerMaxCount: 2, guardMinCount: 100 });
    const ids = ['L1', 'L2', 'L3', 'L4'];
    for (const id of ids)
      await handMade(lifecycle, { account: `hand.${id}`, email: `${id.toLowerCase()}@corp.example` });
    const rows = ids.map((id) => row(id, {}, { status: 'terminated' }));
    const plan = await planRoster(lifecycle.context, rows);
    expect(actionsOf(plan, 'L1')).toEqual(['link hand.L1', 'disable hand.L1', 'update hand.L1']);

    const report = await applyRosterPlan(lifecycle.context, plan, { concurrency: 1 });
    expect(report.staged).toEqual(['L3', 'L4']);
    expect(report.outcomes).toEqual({ disabled: 2, staged: 2 });
    const statusOf = (id: string) => membersWith(env, 'userAccount', `hand.${id}`)[0]?.status;
    expect(ids.map(statusOf)).toEqual([1, 1, 0, 0]);
    // The adoption is recorded before staging, so the approval acts on the adopted member.
    expect((await lifecycle.context.store.getEmployee('L3'))?.account).toBe('hand.L3');

    const stage = await lifecycle.describeStage();
    expect(stage?.actions.map((a) => a.employeeId).sort()).toEqual(['L3', 'L4']);
    await lifecycle.approveStage(stage!.breaker.stageId);
    expect(ids.map(statusOf)).toEqual([1, 1, 1, 1]);
    expect(changesOf(await planRoster(lifecycle.context, rows))).toEqual([]);

    // With the operator's approval up front, nothing is staged.
    const more = ['L5', 'L6', 'L7'];
    for (const id of more)
      await handMade(lifecycle, { account: `hand.${id}`, email: `${id.toLowerCase()}@corp.example` });
    const approved = await applyRosterPlan(
      lifecycle.context,
      await planRoster(
        lifecycle.context,
        more.map((id) => row(id, {}, { status: 'terminated' })),
      ),
      { approveMassOffboarding: true },
    );
    expect([approved.staged, approved.outcomes]).toEqual([[], { disabled: 3 }]);
    expect(more.map(statusOf)).toEqual([1, 1, 1]);
  });
});

describe('roster sync, App ID mode: a member without our HR id is addressed by its account', {
  timeout: 120_000,
}, () => {
  const lifecycleEnv = useLifecycleEnv({
    env: {
      MEETING_ACCOUNT: '',
      MEETING_PASSWORD: '',
      MEETING_APP_ID: DEMO_CREDENTIALS.appId,
      MEETING_APP_KEY: DEMO_CREDENTIALS.appKey,
    },
  });

  it('links it, and every later event acts on it: update, admin, batched disable, cleanup, rehire', async () => {
    const env = lifecycleEnv();
    const { lifecycle } = env;
    expect(lifecycle.context.accountType).toBe(1);
    await handMade(lifecycle, { account: 'zhao.li', email: 'a1@corp.example', name: 'Zhao Li' });
    const member = { name: 'Zhao Li', email: 'a1@corp.example', deptCode: '1' };
    const plan = await planRoster(lifecycle.context, [row('A1', member)]);
    expect(actionsOf(plan, 'A1')).toEqual(['link zhao.li']);
    await applyRosterPlan(lifecycle.context, plan);
    expect(await lifecycle.context.store.getEmployee('A1')).toMatchObject({
      account: 'zhao.li',
      accountType: 0,
      linked: { by: 'email' },
    });

    // Without the link, this event would find no member by HR id and collide with zhao.li's e-mail owner.
    const updated = await lifecycle.applyEvent(
      events(EVENT_TYPES.updated, 'A1', { ...member, title: 'Lead' }),
    );
    expect(updated.outcome).toBe('updated');
    await lifecycle.applyEvent(events(EVENT_TYPES.adminGranted, 'A1', { ...member, title: 'Lead' }));
    const zhao = () => membersWith(env, 'userAccount', 'zhao.li')[0];
    expect(zhao()).toMatchObject({ title: 'Lead', adminType: 1 });
    expect(membersWith(env, 'email', 'a1@corp.example')).toHaveLength(1);

    // A leaver adopted this way and one created by an event, disabled in one flush: one batch call per selector type.
    const b1 = { name: 'B One', email: 'b1@corp.example', deptCode: '1' };
    await lifecycle.applyEvent(events(EVENT_TYPES.hired, 'B1', b1));
    env.simulator.resetCounters();
    await lifecycle.applyEvent(events(EVENT_TYPES.terminated, 'A1', { ...member, title: 'Lead' }));
    await lifecycle.applyEvent(events(EVENT_TYPES.terminated, 'B1', b1));
    await lifecycle.flushPendingDisables();
    expect(env.simulator.counters().calls.setMembersStatus).toBe(2);
    expect(zhao()).toMatchObject({ status: 1, adminType: 2 });
    expect(membersWith(env, 'thirdAccount', 'B1')[0]?.status).toBe(1);

    // Cleanup deletes both after retention, each addressed its own way.
    const report = await env.with({ retentionDays: 0 }).runCleanup();
    expect(report.deleted.sort()).toEqual(['A1', 'B1']);
    expect(zhao()).toBeUndefined();

    // A rehire creates the member again, now carrying the HR id and addressed by it.
    const rehired = await lifecycle.applyEvent(events(EVENT_TYPES.rehired, 'A1', member));
    expect(rehired.outcome).toBe('created');
    expect(membersWith(env, 'thirdAccount', 'A1')).toHaveLength(1);
    const record = await lifecycle.context.store.getEmployee('A1');
    expect([record?.account, record?.accountType]).toEqual(['A1', undefined]);
  });
});

describe('roster sync at scale', { timeout: 600_000 }, () => {
  const lifecycleEnv = useLifecycleEnv();

  it('2,000 rows: plan, apply, plan again — the second plan is empty and nobody is duplicated', async () => {
    const env = lifecycleEnv();
    const { lifecycle } = env;
    const ROWS = 2_000;
    const id = (i: number) => `E${String(i).padStart(4, '0')}`;
    const phone = (i: number) => `+86139${String(10_000_000 + i).slice(-8)}`;
    const rows: RosterRow[] = [];
    const hand: Parameters<typeof handMade>[1][] = [];
    for (let i = 0; i < ROWS; i++) {
      const e = id(i);
      const base = { name: `Person ${i}`, email: `${e.toLowerCase()}@corp.example`, deptCode: '1' };
      if (i % 20 === 10) {
        rows.push(row(e, base, { status: 'terminated' }));
        // Half the leavers still have an enabled member made by hand.
        if (i % 40 === 10) hand.push({ account: `gone.${i}`, email: base.email });
      } else if (i % 20 === 0) {
        rows.push(row(e, base));
        hand.push({ account: `hand.${i}`, email: base.email });
      } else if (i % 40 === 5) {
        rows.push(row(e, { ...base, phone: phone(i), country: 'chinaPR' }));
        hand.push({ account: `tel.${i}`, phone: phone(i), country: 'chinaPR', email: `x${i}@old.example` });
      } else if (i % 40 === 15) {
        rows.push(row(e, { ...base, account: `acct${i}` }));
        hand.push({ account: `acct${i}`, email: `y${i}@old.example` });
      } else if (i % 40 === 25) {
        rows.push(row(e, base));
        hand.push({ account: `off.${i}`, email: base.email, status: 1 });
      } else rows.push(row(e, base, { admin: i % 100 === 1 }));
    }
    for (let k = 0; k < 30; k++) hand.push({ account: `orphan.${k}`, email: `orphan${k}@corp.example` });
    for (const input of hand) await handMade(lifecycle, input);
    const members = env.simulator.members().length; // hand-made + the default admin

    const plan = await planRoster(lifecycle.context, rows);
    expect(plan.summary).toEqual({
      link: 300, // 100 by e-mail, 50 by phone, 50 by account, 50 disabled ones, 50 leavers
      update: 300, // every adopted member's fields differ from HR's
      enable: 50,
      disable: 50,
      create: 1_650,
      'grant-admin': 20,
      unmanaged: 31, // the orphans and the default admin
    });

    const report = await applyRosterPlan(lifecycle.context, plan);
    expect(report.failed).toEqual([]);
    expect(report.outcomes).toEqual({ created: 1_650, updated: 200, enabled: 50, disabled: 50, noop: 50 });
    expect(env.simulator.members().length).toBe(members + 1_650);
    const emails = env.simulator.members().flatMap((m) => (m.email ? [String(m.email)] : []));
    expect(new Set(emails).size).toBe(emails.length);
    expect((await lifecycle.context.store.getEmployees(rows.map((r) => r.employeeId))).size).toBe(ROWS);

    const again = await planRoster(lifecycle.context, rows);
    expect(changesOf(again)).toEqual([]);
    expect(again.summary).toEqual({ unmanaged: 31 });
    expect((await applyRosterPlan(lifecycle.context, again)).outcomes).toEqual({});
  });
});
