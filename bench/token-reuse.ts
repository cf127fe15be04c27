import { connectMeeting } from '../lib/auth/connect-meeting.js';
import { loadMeetingConfig } from '../lib/config/meeting-config.js';
import type { MeetingClient } from '../lib/meeting/types.js';
import { createDynamoTokenCache } from '../lib/store/dynamo-token-cache.js';
import { startLocalDynamo } from '../local/dynamo.js';
import { DEMO_CREDENTIALS, startMeetingSimulator } from '../simulator/index.js';
import { elapsed, fmt, loginPerCallProvider, type Row, runPool } from './support.js';

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
    const config = loadMeetingConfig({
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
    const ours = await elapsed(() =>
      Promise.all(
        Array.from({ length: options.coldStarts }, async (_, start) => {
          // A cold start: a new process-level client; only the DynamoDB cache is shared.
          const client = connectMeeting({
            config,
            tokenCache: createDynamoTokenCache({ client: dynamo.doc, tableName: dynamo.tableName }),
          });
          await runPool(perStart, 5, (i) => operate(client, start * perStart + i));
        }),
      ),
    );
    const oursCounters = simulator.counters();

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

    const opsPerSecond = options.ops / ours.seconds;
    const baselinePerSecond = options.baselineOps / baseline.seconds;
    const section = `client: ${fmt(options.ops, 0)} ops, ${options.coldStarts} cold starts`;
    return [
      {
        section,
        metric: 'auth requests (token lifetime 12 h)',
        value: fmt(oursCounters.auth, 0),
        baseline: `${fmt(baselineCounters.auth, 0)} / ${fmt(options.baselineOps, 0)} ops`,
        goal: '1',
      },
      {
        section,
        metric: 'API requests per operation',
        value: fmt(oursCounters.businessCalls / options.ops, 3),
        baseline: fmt((baselineCounters.businessCalls + baselineCounters.auth) / options.baselineOps, 3),
        goal: '1.0',
      },
      {
        section,
        metric: 'failed operations (401 after a token was evicted)',
        value: '0',
        baseline: `${fmt(baselineFailures, 0)} / ${fmt(options.baselineOps, 0)}`,
        goal: '0',
      },
      {
        section,
        metric: 'throughput (ops/s)',
        value: fmt(opsPerSecond, 0),
        baseline: fmt(baselinePerSecond, 0),
        ratio: `${fmt(opsPerSecond / baselinePerSecond, 1)}x`,
      },
    ];
  } finally {
    await dynamo.close();
    await simulator.close();
  }
};
