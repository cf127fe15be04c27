import { createLifecycleRuntime } from '../functions/shared/lifecycle-runtime.js';
import type { LifecycleSettings } from '../lib/config/lifecycle-config.js';
import { createLifecycle, type Lifecycle } from '../lib/lifecycle/create-lifecycle.js';
import type { LifecycleDeps } from '../lib/lifecycle/types.js';
import { silentLog } from '../lib/shared/log.js';
import { DEMO_CREDENTIALS, type SimulatorOptions, startMeetingSimulator } from '../simulator/index.js';
import { startLocalDynamo } from './dynamo.js';

/**
 * The worker/cleanup wiring of production (createLifecycleRuntime) against a fresh simulator and
 * dynalite over real sockets, without queue or webhook: for tests and benchmarks of lib/lifecycle.
 */
export const startLifecycleEnv = async (
  options: { env?: Record<string, string>; simulator?: SimulatorOptions } = {},
) => {
  const simulator = await startMeetingSimulator(options.simulator);
  const dynamo = await startLocalDynamo();
  const env = {
    MEETING_ENDPOINT: simulator.url,
    MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
    MEETING_PASSWORD: DEMO_CREDENTIALS.password,
    MEETING_TIMEOUT_MS: '2000',
    DISABLE_LINGER_MS: '0',
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    ...options.env,
  };
  const lifecycle = await createLifecycleRuntime(env, silentLog);
  return {
    simulator,
    dynamo,
    lifecycle,
    env,
    /** The same wiring with some settings (and e.g. a fake clock) replaced. */
    with: (settings: Partial<LifecycleSettings>, extra: Partial<LifecycleDeps> = {}): Lifecycle =>
      createLifecycle({
        ...lifecycle.context,
        settings: { ...lifecycle.context.settings, ...settings },
        ...extra,
      }),
    async close() {
      await dynamo.close();
      await simulator.close();
    },
  };
};
export type LifecycleEnv = Awaited<ReturnType<typeof startLifecycleEnv>>;
