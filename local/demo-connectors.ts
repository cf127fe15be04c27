import type { LocalStack } from './stack.js';
import type { VendorSimulators } from './vendor-simulators.js';

interface StepContext {
  readonly stack: LocalStack;
  readonly vendors: VendorSimulators;
  readonly print: (line: string) => void;
  readonly expect: (ok: boolean, what: string) => void;
  /** The demo's department code (prefixed on a real tenant). */
  readonly dept: (code: string) => string;
  readonly run: string;
}

const code = (body: Record<string, unknown>) => (body.error as { code?: string } | undefined)?.code;

/**
 * The connectors step of `npm start`: one hire and one leaver arriving from each vendor
 * simulator, signed (BambooHR) or encrypted and signed (Feishu/Lark) as the vendor does, through
 * POST /hr/bamboohr and /hr/feishu. Returns the employee ids it created, for a real tenant's cleanup.
 */
export const runConnectorsStep = async ({
  stack,
  vendors,
  print,
  expect,
  dept,
  run,
}: StepContext): Promise<string[]> => {
  const { bamboohr, feishu } = vendors;
  const member = async (employeeId: string) =>
    (await (await stack.getLifecycle()).context.meeting.listAllMembers()).find(
      (m) => m.thirdAccount === employeeId,
    );
  const before = stack.queue.stats().sent;

  const challenge = await feishu.verifyUrl('demo-challenge');
  expect(
    challenge.body.challenge === 'demo-challenge',
    'Feishu URL verification (encrypted) answered with the challenge',
  );

  const email = (mailbox: string) => `${mailbox}.${run.toLowerCase()}@corp.example`;
  const bambooHrHire = (firstName: string, lastName: string, jobTitle: string) =>
    bamboohr.hire({
      firstName,
      lastName,
      workEmail: email(firstName.toLowerCase()),
      jobTitle,
      department: dept('D-ENG'),
    });
  const feishuHire = (name: string, englishName: string, jobTitle: string) =>
    feishu.createUser({
      name,
      en_name: englishName,
      enterprise_email: email(englishName.split(' ')[0]!.toLowerCase()),
      job_title: jobTitle,
      department_ids: [dept('D-SALES')],
    });

  const ada = await bambooHrHire('Ada', 'Lovelace', 'Engineer');
  const alan = await bambooHrHire('Alan', 'Turing', 'Researcher');
  expect(
    [...ada.deliveries, ...alan.deliveries].every((d) => d.status === 200),
    'BambooHR: 2 hires (employee.created + employee.updated each, HMAC-signed) → 200, records read from its API',
  );
  const zhang = await feishuHire('张三', 'Zhang San', 'Product Manager');
  const li = await feishuHire('李四', 'Li Si', 'Sales');
  expect(
    zhang.delivery.status === 200 && li.delivery.status === 200,
    'Feishu: 2 contact.user.created_v3 (encrypted, signed) → 200, users read from its API',
  );

  const forged = await bamboohr.send('employee.updated', ada.id, {
    privateKey: 'not-the-webhook-private-key',
  });
  const stale = await feishu.sendEvent(
    'contact.user.updated_v3',
    { object: zhang.user },
    {},
    { timestamp: String(Math.floor(Date.now() / 1000) - 9 * 3600) },
  );
  expect(forged.status === 401, `BambooHR forged signature → ${forged.status} ${code(forged.body)}`);
  expect(stale.status === 401, `Feishu event signed 9 hours ago → ${stale.status} ${code(stale.body)}`);
  await stack.drain();

  const leavers = [await bamboohr.terminate(alan.id), await feishu.resign(li.user.open_id)];
  expect(
    leavers.every((d) => d.body.type === 'employee.terminated'),
    'leavers: BambooHR status Inactive, Feishu 员工离职 (deleted_v3) → employee.terminated',
  );
  await stack.drain();

  const employees = [
    [`bamboohr-${ada.id}`, 'BambooHR'],
    [`bamboohr-${alan.id}`, 'BambooHR'],
    [zhang.user.open_id, 'Feishu'],
    [li.user.open_id, 'Feishu'],
  ] as const;
  const members = await Promise.all(employees.map(([id]) => member(id)));
  print('  employee                              source    status     dept                 title');
  for (const [i, [id, source]] of employees.entries()) {
    const m = members[i];
    const status = m ? (m.status === 0 ? 'enabled' : 'disabled') : 'missing';
    print(
      `  ${id.padEnd(37)} ${source.padEnd(9)} ${status.padEnd(10)} ${(m?.deptCode ?? '-').padEnd(20)} ${m?.title ?? ''}`,
    );
  }
  const [a, b, c, d] = members;
  expect(
    a?.status === 0 && a.deptCode === dept('D-ENG') && c?.status === 0,
    'the hires from both vendors are enabled members',
  );
  expect(b?.status === 1 && d?.status === 1, 'the leavers from both vendors are disabled at once');
  print(
    `  queued by the connectors: ${stack.queue.stats().sent - before}; BambooHR API reads: ${bamboohr.counters().reads}; ` +
      `Feishu token requests: ${feishu.counters().tokenRequests}, user reads: ${feishu.counters().userReads}`,
  );
  return employees.map(([id]) => id);
};
