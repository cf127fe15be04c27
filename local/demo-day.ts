import { randomUUID } from 'node:crypto';
import { EVENT_TYPES } from '../lib/events/schemas.js';
import { runConnectorsStep } from './demo-connectors.js';
import { runInitialLoadStep } from './demo-initial-load.js';
import { createHrEventFactory, sampleMember } from './hr-event-factory.js';
import { startLocalStack } from './stack.js';
import { startVendorSimulators } from './vendor-simulators.js';
import { postSignedWebhook } from './webhook-client.js';

type Print = (line: string) => void;

/** Size of the mass-offboarding step; the demo's breaker limit is set below it. */
const MASS = 12;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The scripted HR day of `npm start`. Returns the number of failed expectations. */
export const runDemoDay = async (options: { env: Record<string, string | undefined>; print: Print }) => {
  const { print } = options;
  // The HR vendors are always simulated; their connectors point at the simulators.
  const vendors = await startVendorSimulators();
  const stack = await startLocalStack({
    env: {
      ...options.env,
      ...vendors.env,
      BAMBOOHR_MAP_DEPT: 'department',
      FEISHU_MAP_DEPT: 'department_ids.0',
    },
  });
  vendors.connect(stack);
  const lifecycle = await stack.getLifecycle();
  const deps = lifecycle.context;
  const secret = stack.webhookSecrets.split(' ')[0]!;
  const real = stack.simulator === undefined;
  const run = real ? `demo${randomUUID().slice(0, 6)}` : 'E';
  const id = (n: number) => `${run}${1000 + n}`;
  const events = createHrEventFactory({ idPrefix: `${run}-evt` });
  const failures: string[] = [];
  const expect = (ok: boolean, what: string) => {
    print(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
    if (!ok) failures.push(what);
  };
  const post = (payload: unknown, extra?: Parameters<typeof postSignedWebhook>[3]) =>
    postSignedWebhook(stack.webhookUrl, secret, payload, extra);

  try {
    const target = stack.simulator
      ? `embedded simulator at ${stack.simulator.url}`
      : (options.env.MEETING_ENDPOINT ?? options.env.MEETING_REGION);
    print(`meeting-lifecycle local run — Meeting: ${target}`);
    print(`webhook: POST ${stack.webhookUrl}   DynamoDB: dynalite at ${stack.dynamo.endpoint}`);
    print('');

    print('1. Departments the HR org units map to');
    // On a real tenant the demo's departments and people carry a run prefix, and are removed after.
    const dept = (code: string) => (real ? `${run}-${code}` : code);
    for (const [deptCode, deptName] of [
      ['D-ENG', 'Engineering'],
      ['D-SALES', 'Sales'],
    ] as const) {
      await deps.meeting.ensureDepartment({ deptCode: dept(deptCode), deptName });
    }

    print("2. Initial load: members made by hand years ago, then HR's roster (npm run reconcile)");
    const handMade = await runInitialLoadStep({
      stack,
      print,
      expect,
      dept,
      id,
      prefix: real ? `${run.toLowerCase()}.` : '',
    });

    print('3. Only now do events flow: HR posts 5 hires (one signed batch of 4, one CloudEvents envelope)');
    const hires = [1, 2, 3, 4].map((n) =>
      events(EVENT_TYPES.hired, id(n), sampleMember(id(n), n, { deptCode: dept('D-ENG') })),
    );
    const batch = await post(hires);
    expect(batch.status === 202, `batch of 4 hires answered ${batch.status}`);
    const e5 = events(EVENT_TYPES.hired, id(5), sampleMember(id(5), 5, { deptCode: dept('D-SALES') }));
    const cloudEvent = {
      specversion: '1.0',
      id: e5.id,
      source: 'hr.example/workday',
      type: e5.type,
      data: { employeeId: e5.employeeId, version: e5.version, member: e5.member },
    };
    expect((await post(cloudEvent)).status === 202, 'CloudEvents hire accepted');
    const again = await post(hires, { webhookId: batch.webhookId });
    expect(
      again.status === 202,
      `the same delivery retried by the sender is recognised (${again.status}, not enqueued twice)`,
    );

    print('4. Requests that must be refused, with nothing enqueued');
    const forged = await postSignedWebhook(
      stack.webhookUrl,
      `whsec_${Buffer.from('not-the-secret-0123456789').toString('base64')}`,
      hires[0],
    );
    expect(
      forged.status === 401,
      `wrong signature → ${forged.status} ${(forged.body.error as { code?: string })?.code}`,
    );
    const stale = await post(hires[0], { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect(
      stale.status === 401,
      `timestamp an hour old → ${stale.status} ${(stale.body.error as { code?: string })?.code}`,
    );
    const invalid = await post({ type: EVENT_TYPES.hired, id: 'x' });
    expect(
      invalid.status === 422,
      `event missing its fields → ${invalid.status} ${(invalid.body.error as { code?: string })?.code}`,
    );
    await stack.drain();

    print(
      '5. A transfer, two leavers, an admin grant, a late stale update, and a promotion of an adopted member',
    );
    const transfer = events(
      EVENT_TYPES.updated,
      id(1),
      sampleMember(id(1), 1, { deptCode: dept('D-SALES'), title: 'Lead' }),
    );
    const staleUpdate = {
      ...transfer,
      id: `${run}-evt-stale`,
      version: transfer.version - 100,
      member: { ...transfer.member, title: 'Old' },
    };
    expect(
      (
        await post([
          transfer,
          events(EVENT_TYPES.terminated, id(2), sampleMember(id(2), 2, { deptCode: dept('D-ENG') })),
          events(EVENT_TYPES.terminated, id(3), sampleMember(id(3), 3, { deptCode: dept('D-ENG') })),
          events(EVENT_TYPES.adminGranted, id(4), sampleMember(id(4), 4, { deptCode: dept('D-ENG') })),
          events(
            EVENT_TYPES.updated,
            id(6),
            sampleMember(id(6), 6, { deptCode: dept('D-ENG'), title: 'Staff Engineer' }),
          ),
        ])
      ).status === 202,
      'changes accepted',
    );
    await stack.drain();
    expect((await post(staleUpdate)).status === 202, 'an older update for the same employee arrives late');
    await stack.drain();

    print('6. A rehire before cleanup, and a termination effective in 2 seconds');
    await post(events(EVENT_TYPES.rehired, id(3), sampleMember(id(3), 3, { deptCode: dept('D-ENG') })));
    const effectiveAt = new Date(Date.now() + 2_000).toISOString();
    await post(
      events(EVENT_TYPES.terminated, id(5), sampleMember(id(5), 5, { deptCode: dept('D-SALES') }), {
        effectiveAt,
      }),
    );
    await stack.drain();
    const e5Before = await deps.meeting.findMember(id(5), { accountType: 1 }).catch(() => undefined);
    expect(e5Before?.status === 0, `${id(5)} still enabled before its effective date`);
    await sleep(2_200);

    print('7. HR systems posting natively: BambooHR and Feishu/Lark (connectors, against their simulators)');
    const connectorIds = await runConnectorsStep({ stack, vendors, print, expect, dept, run });

    print(
      `8. Scheduled cleanup (retention ${deps.settings.retentionDays} days, guard ${deps.settings.maxDeletes} / ${deps.settings.maxDeletePercent}%)`,
    );
    const report = await stack.runCleanup();
    print(
      `  due actions applied: ${report.due.applied}, deleted: ${report.cleanup.deleted.join(', ') || 'none'}, guard: ${report.cleanup.guard.allowed ? 'passed' : report.cleanup.guard.reason}`,
    );

    print('');
    print('Final Meeting state of the demo employees');
    const members = await deps.meeting.listAllMembers();
    const admins = new Set((await deps.meeting.listAllAdmins()).map((a) => a.account));
    const ours = new Map(
      members.filter((m) => m.thirdAccount?.startsWith(run)).map((m) => [m.thirdAccount!, m]),
    );
    // Adopted members carry no HR id: the record says which member is the employee's.
    for (let n = 6; n <= 10; n++) {
      const record = await deps.store.getEmployee(id(n));
      const adopted = record && members.find((m) => m.userAccount === record.account);
      if (adopted && !ours.has(id(n))) ours.set(id(n), adopted);
    }
    print('  employee   account              status     admin  dept                 title');
    for (let n = 1; n <= 10; n++) {
      const m = ours.get(id(n));
      const status = m ? (m.status === 0 ? 'enabled' : 'disabled') : 'deleted';
      print(
        `  ${id(n).padEnd(10)} ${(m?.userAccount ?? '-').slice(0, 20).padEnd(20)} ${status.padEnd(10)} ${m && admins.has(m.userAccount) ? 'yes' : 'no '}    ${(m?.deptCode ?? '-').padEnd(20)} ${m?.title ?? ''}`,
      );
    }
    const e1 = ours.get(id(1));
    expect(
      e1?.status === 0 && e1.deptCode === dept('D-SALES') && e1.title === 'Lead',
      `${id(1)} transferred; the late stale update was skipped`,
    );
    expect(!ours.has(id(2)), `${id(2)} disabled at once, deleted after retention`);
    expect(ours.get(id(3))?.status === 0, `${id(3)} rehired before cleanup: the same member re-enabled`);
    expect(admins.has(ours.get(id(4))?.userAccount ?? '-'), `${id(4)} is an enterprise admin`);
    expect(!ours.has(id(5)), `${id(5)} terminated when due, then deleted`);
    expect(
      ours.get(id(6))?.userAccount === handMade[0] && ours.get(id(6))?.title === 'Staff Engineer',
      `${id(6)}'s promotion reached the member adopted at the initial load (${handMade[0]})`,
    );

    print('');
    print(
      `9. A broken HR export offboards ${MASS} people at once (circuit breaker: ${deps.settings.breakerMaxCount} per ${deps.settings.breakerWindowMinutes} min)`,
    );
    const mass = Array.from({ length: MASS }, (_, i) => id(100 + i));
    await post(
      mass.map((e, i) => events(EVENT_TYPES.hired, e, sampleMember(e, 100 + i, { deptCode: dept('D-ENG') }))),
    );
    await stack.drain();
    await post(
      mass.map((e, i) =>
        events(EVENT_TYPES.terminated, e, sampleMember(e, 100 + i, { deptCode: dept('D-ENG') })),
      ),
    );
    await stack.drain();
    const stage = await lifecycle.describeStage();
    const enabledNow = async () =>
      (await deps.meeting.listAllMembers()).filter(
        (m) => mass.includes(String(m.thirdAccount)) && m.status === 0,
      ).length;
    print(
      `  staged: ${stage?.actions.length ?? 0} disables under ${stage?.breaker.stageId ?? '-'} (${stage?.breaker.reason ?? 'breaker closed'})`,
    );
    expect(
      (stage?.actions.length ?? 0) > 0 && (await enabledNow()) > 0,
      'beyond the limit, disables wait for an operator (npm run offboarding -- list)',
    );
    if (stage) {
      const approved = await lifecycle.approveStage(stage.breaker.stageId);
      print(`  operator approves: ${approved.disables.length} disables applied`);
    }
    expect((await enabledNow()) === 0, `after approval all ${MASS} are disabled`);

    print('');
    print('Counters');
    const q = stack.queue.stats();
    print(
      `  queue: sent ${q.sent}, deduplicated ${q.deduplicated}, processed ${q.deleted}, dead-lettered ${stack.dlq.stats().sent}`,
    );
    expect(stack.dlq.stats().sent === 0, 'nothing in the dead-letter queue');
    if (stack.simulator) {
      const c = stack.simulator.counters();
      const calls = Object.entries(c.calls)
        .filter(([api, n]) => n > 0 && !api.startsWith('auth'))
        .map(([api, n]) => `${api} ${n}`)
        .join(', ');
      print(`  Meeting API: ${c.businessCalls} business calls (${calls})`);
      print(`  Meeting logins: ${c.auth} (one token shared by every function, cached in DynamoDB)`);
      expect(c.auth === 1, 'exactly one login for the whole run');
    } else {
      print('  (real tenant: removing the demo members again)');
      const left = (await deps.meeting.listAllMembers())
        .filter((m) => m.thirdAccount?.startsWith(run) || connectorIds.includes(String(m.thirdAccount)))
        .map((m) => m.thirdAccount!);
      if (left.length > 0) {
        await deps.meeting.deleteAdmins(left, { accountType: 1 }).catch(() => undefined);
        await deps.meeting.deleteMembers(left, { accountType: 1 }); // chunked to 100 by the client
      }
      // The members made by hand for the initial load carry no HR id: by account.
      await deps.meeting.deleteAdmins(handMade, { accountType: 0 }).catch(() => undefined);
      await deps.meeting.deleteMembers(handMade, { accountType: 0 }).catch(() => undefined);
    }
  } finally {
    await stack.stop();
    await vendors.close();
  }
  print('');
  print(failures.length === 0 ? 'All expectations met.' : `${failures.length} expectation(s) failed.`);
  return failures.length;
};
