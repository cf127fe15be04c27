/**
 * Standalone Huawei Cloud Meeting simulator: `npm run simulator`.
 *   PORT (default 8088), HOST (default 127.0.0.1)
 *   SIM_FAULTS='{"errorRate":0.05,"throttleRate":0.05}'  (optional FaultConfig JSON)
 *   SIM_LATENCY_MS, SIM_RATE_LIMIT_PER_MINUTE             (optional)
 *   SIM_PAGE_SIZE_CAP, SIM_ALREADY_DONE=ok|code           (optional, see simulator/README.md)
 * Control endpoints: GET /__sim/counters, GET /__sim/state, POST /__sim/reset,
 * POST /__sim/faults, POST /__sim/revoke.
 */
import { DEMO_CREDENTIALS, type SimulatorOptions, startMeetingSimulator } from '../simulator/index.js';
import { CommandError, runMain } from './cli.js';

/** The simulator's settings are documented in simulator/README.md, so a bad one points there. */
const settingError = (message: string) =>
  new CommandError(`Configuration error: ${message}: see simulator/README.md "npm run simulator"`);

const intEnv = (name: string, max = Number.MAX_SAFE_INTEGER): number | undefined => {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max)
    throw settingError(
      `${name} must be a whole number ${max === Number.MAX_SAFE_INTEGER ? '(0 or more)' : `from 0 to ${max}`}`,
    );
  return value;
};

const jsonEnv = (name: string): unknown => {
  const raw = process.env[name];
  if (!raw?.trim()) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw settingError(`${name} must be JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw settingError(`${name} must be a JSON object (FaultConfig)`);
  return value;
};

const alreadyDone = (): SimulatorOptions['alreadyDone'] => {
  const raw = process.env.SIM_ALREADY_DONE || undefined;
  if (raw !== undefined && raw !== 'ok' && raw !== 'code')
    throw settingError('SIM_ALREADY_DONE must be ok or code');
  return raw;
};

runMain(async () => {
  const options: SimulatorOptions = {
    port: intEnv('PORT', 65_535) ?? 8088,
    host: process.env.HOST || '127.0.0.1',
    latencyMs: intEnv('SIM_LATENCY_MS'),
    rateLimitPerMinute: intEnv('SIM_RATE_LIMIT_PER_MINUTE') || undefined,
    faults: jsonEnv('SIM_FAULTS') as SimulatorOptions['faults'],
    pageSizeCap: intEnv('SIM_PAGE_SIZE_CAP') || undefined,
    alreadyDone: alreadyDone(),
  };
  const sim = await startMeetingSimulator(options);
  const { account, password, appId, appKey } = DEMO_CREDENTIALS;

  // A local demo: printing the demo password and App Key here is intended.
  console.log(`Huawei Cloud Meeting simulator listening on ${sim.url}

Demo credentials
  account / password : ${account} / ${password}
  App ID / App Key   : ${appId} / ${appKey}

Point the client at it (account mode):
  MEETING_ENDPOINT=${sim.url} MEETING_ACCOUNT=${account} MEETING_PASSWORD='${password}'
or (App ID mode):
  MEETING_ENDPOINT=${sim.url} MEETING_APP_ID=${appId} MEETING_APP_KEY=${appKey}
Legacy dialect: add MEETING_API_DIALECT=legacy

Control: GET ${sim.url}/__sim/counters | GET ${sim.url}/__sim/state | POST ${sim.url}/__sim/reset
         POST ${sim.url}/__sim/faults (FaultConfig JSON, empty body clears) | POST ${sim.url}/__sim/revoke
Ctrl+C to stop.`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping simulator`);
    sim.close().then(
      () => process.exit(0),
      (error: unknown) => {
        throw error;
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return undefined;
});
