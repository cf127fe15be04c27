import { connectMeeting } from '../lib/auth/connect-meeting.js';
import { parseMeetingConfig } from '../lib/config/meeting-config.js';
import type { MeetingClient } from '../lib/meeting/types.js';
import { createDynamoTokenCache } from '../lib/store/dynamo-token-cache.js';
import { startLocalDynamo } from '../local/dynamo.js';
import { DEMO_CREDENTIALS, startMeetingSimulator } from '../simulator/index.js';
import {
  atMost,
  elapsed,
  exactly,
  fmt,
  inSection,
  loginPerCallProvider,
  type Row,
  runPool,
} from './support.js';

const MEMBERS = 200;

/** One member operation of the mix: 70 % reads, 30 % updates. */
const operate = (client: MeetingClient, i: number) => {
  const account = `bench${i % MEMBERS}`;
  return i % 10 < 7
    ? client.getMember(account)
    : client.updateMember(account, { name: `Bench ${i}`, deptCode: '1', email: `${account}@corp.example` });
};

/**
 * Issue 3's workload: `ops` member operations over `coldStarts` fresh client instances (each a
 * simulated cold start) sharing one DynamoDB token cache, against a baseline that logs in per call.
 */
export const benchTokenReuse = async (options: {
  ops: number;
  coldStarts: number;
  baselineOps: number;
}): Promise<Row[]> => {
  const simulator = await startMeetingSimulator();
  const dynamo = await startLocalDynamo();
  try {
    const config = parseMeetingConfig({
      MEETING_ENDPOINT: simulator.url,
      MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
      MEETING_PASSWORD: DEMO_CREDENTIALS.password,
    });
    const seed = connectMeeting({ config });
    await runPool(MEMBERS, 20, (i) =>
      seed.createMember({
        name: `Bench ${i}`,
        account: `bench${i}`,
        thirdAccount: `bench${i}`,
        email: `bench${i}@corp.example`,
      }),
    );

    simulator.resetCounters();
    const perStart = Math.ceil(options.ops / options.coldStarts);
    let failures = 0;
    const ours = await elapsed(() =>
      Promise.all(
        Array.from({ length: options.coldStarts }, async (_, start) => {
          // A cold start: a new process-level client; only the DynamoDB cache is shared.
          const client = connectMeeting({
            config,
            tokenCache: createDynamoTokenCache({ client: dynamo.dynamo, tableName: dynamo.tableName }),
          });
          await runPool(perStart, 5, (i) =>
            operate(client, start * perStart + i).catch(() => {
              failures += 1;
            }),
          );
        }),
      ),
    );
    const oursCounters = simulator.counters();
    const oursOps = perStart * options.coldStarts;

    simulator.resetCounters();
    const naive = connectMeeting({
      config,
      tokenProvider: loginPerCallProvider(simulator.url, DEMO_CREDENTIALS.account, DEMO_CREDENTIALS.password),
    });
    // 100 callers logging in per call exceed the 64-token cap: some tokens are evicted before use.
    let baselineFailures = 0;
    const baseline = await elapsed(() =>
      runPool(options.baselineOps, 5 * options.coldStarts, (i) =>
        operate(naive, i).catch(() => {
          baselineFailures += 1;
        }),
      ),
    );
    const baselineCounters = simulator.counters();

    const section = `client: ${fmt(oursOps, 0)} ops, ${options.coldStarts} cold starts`;
    const baselineNote = `${fmt(options.baselineOps, 0)} ops`;
    return inSection(section, [
      {
        metric: 'auth requests (token lifetime 12 h)',
        value: oursCounters.auth,
        unit: 'requests',
        baseline: { value: baselineCounters.auth, note: baselineNote },
        goal: atMost(1),
      },
      {
        metric: 'API requests per operation',
        value: oursCounters.businessCalls / oursOps,
        unit: 'requests/op',
        digits: 3,
        baseline: { value: (baselineCounters.businessCalls + baselineCounters.auth) / options.baselineOps },
        ratio: 'fewer',
        goal: atMost(1),
      },
      {
        metric: 'failed operations (401 after a token was evicted)',
        value: failures,
        unit: 'ops',
        baseline: { value: baselineFailures, note: `of ${baselineNote}` },
        goal: exactly(0),
      },
      {
        metric: 'throughput',
        value: oursOps / ours.seconds,
        unit: 'ops/s',
        digits: 0,
        baseline: { value: options.baselineOps / baseline.seconds },
        ratio: 'times',
      },
    ]);
  } finally {
    await dynamo.close();
    await simulator.close();
  }
};
