import { createLifecycleRuntime } from '../functions/shared/lifecycle-runtime.js';
import { silentLog } from '../lib/shared/log.js';
import { DEMO_CREDENTIALS, startMeetingSimulator } from '../lib/simulator/index.js';
import { startLocalDynamo } from '../local/dynamo.js';

/** The worker's production wiring against a (rate-limited) simulator and dynalite. */
export const startLifecycleRuntimeForBench = async (limits: { rateLimitPerMinute: number; rateLimitWindowMs: number }) => {
  const simulator = await startMeetingSimulator(limits);
  const dynamo = await startLocalDynamo();
  const env = {
    MEETING_ENDPOINT: simulator.url,
    MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
    MEETING_PASSWORD: DEMO_CREDENTIALS.password,
    MEETING_MAX_ATTEMPTS: '10',
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
  };
  const deps = await createLifecycleRuntime(env, silentLog);
  return {
    simulator,
    deps,
    env,
    async close() {
      await dynamo.close();
      await simulator.close();
    },
  };
};
