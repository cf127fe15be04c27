import type { RosterRow } from '../lib/events/roster.js';
import type { MemberFields } from '../lib/events/schemas.js';
import { applyRosterPlan, changesOf, planRoster } from '../lib/lifecycle/roster-sync.js';
import { sampleMember } from './hr-event-factory.js';
import type { LocalStack } from './stack.js';

interface StepContext {
  readonly stack: LocalStack;
  readonly print: (line: string) => void;
  readonly expect: (ok: boolean, what: string) => void;
  /** The demo's department code (prefixed on a real tenant). */
  readonly dept: (code: string) => string;
  /** Employee id of demo employee n. */
  readonly id: (n: number) => string;
  /** Prefix of the demo's own names on a real tenant ('' on the simulator). */
  readonly prefix: string;
}

/** The employees of the initial load: 6-8 already have members made by hand, 9 and 10 are new. */
export const INITIAL_LOAD = [6, 7, 8, 9, 10] as const;

/**
 * The opening of `npm start` (docs/operations.md "Initial load"): members made by hand years ago
 * (no HR id, other account names), then a roster from HR that matches them (by e-mail, by
 * phone), creates the rest, and disables a leaver, through the same lifecycle as events. Returns
 * the accounts of the hand-made members, for a real tenant's cleanup.
 */
export const runInitialLoadStep = async ({ stack, print, expect, dept, id, prefix }: StepContext) => {
  const lifecycle = await stack.getLifecycle();
  const { meeting } = lifecycle.context;
  const member = (n: number): MemberFields => sampleMember(id(n), n, { deptCode: dept('D-ENG') });
  const handMade = [
    { account: `${prefix}wei.zhang`, name: 'Zhang Wei (old)', email: member(6).email },
    {
      account: `${prefix}li.hand`,
      name: 'Li (old)',
      email: `${prefix}li.private@mail.example`,
      phone: member(7).phone,
      country: 'chinaPR',
    },
    { account: `${prefix}wang.old`, name: 'Wang (old)', email: member(8).email },
  ];
  for (const input of handMade) await meeting.createMember({ ...input, sendNotify: '0' });
  print(`  made by hand years ago: ${handMade.map((m) => m.account).join(', ')} (no HR id)`);

  const rows: RosterRow[] = INITIAL_LOAD.map((n) => ({
    line: n,
    employeeId: id(n),
    status: n === 8 ? 'terminated' : 'active',
    admin: n === 7,
    member: member(n),
  }));
  const plan = await planRoster(lifecycle.context, rows);
  for (const a of changesOf(plan))
    print(`  plan: ${a.employeeId.padEnd(10)} ${a.action.padEnd(12)} ${a.account.padEnd(22)} ${a.reason}`);
  expect(
    plan.summary.link === 3 && plan.summary.create === 2,
    `the roster links the 3 existing members (by e-mail and phone) and creates the other 2`,
  );
  const report = await applyRosterPlan(lifecycle.context, plan);
  print(
    `  applied: ${Object.entries(report.outcomes)
      .map(([o, n]) => `${o} ${n}`)
      .join(', ')}`,
  );
  const members = await meeting.listAllMembers();
  expect(
    members.filter((m) => m.email === member(6).email).length === 1 &&
      members.find((m) => m.userAccount === `${prefix}wei.zhang`)?.name === member(6).name,
    `${id(6)} is the member ${prefix}wei.zhang, updated from HR, not a second member`,
  );
  expect(
    members.find((m) => m.userAccount === `${prefix}wang.old`)?.status === 1,
    `${id(8)} left: the member ${prefix}wang.old is disabled`,
  );
  expect(
    changesOf(await planRoster(lifecycle.context, rows)).length === 0,
    'a second plan right after shows nothing to do',
  );
  return handMade.map((m) => m.account);
};
