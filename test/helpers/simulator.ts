import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type MeetingConfig, parseMeetingConfig } from '../../lib/config/index.js';
import {
  DEMO_CREDENTIALS,
  type MeetingSimulator,
  type SimulatorOptions,
  startMeetingSimulator,
} from '../../simulator/index.js';

export interface SimulatorHandle {
  /** The running simulator (set in beforeAll). */
  readonly sim: MeetingSimulator;
}

/**
 * One simulator per test file on 127.0.0.1:0, closed after the file. Before each test its
 * state, counters, faults and rate limit go back to the file's starting options.
 */
export const useSimulator = (options: SimulatorOptions = {}): SimulatorHandle => {
  let sim: MeetingSimulator | undefined;
  beforeAll(async () => {
    sim = await startMeetingSimulator({ host: '127.0.0.1', port: 0, ...options });
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(() => {
    sim!.reset();
    sim!.setFaults(options.faults);
    sim!.setRateLimit(options.rateLimitPerMinute);
  });
  return {
    get sim() {
      if (!sim) throw new Error('simulator not started (use it inside tests/hooks)');
      return sim;
    },
  };
};

export type AuthMode = 'account' | 'appId';

/** A MeetingConfig for the simulator's demo enterprise, parsed the production way. */
export const simulatorConfig = (
  sim: MeetingSimulator,
  mode: AuthMode = 'account',
  env: Record<string, string> = {},
): MeetingConfig =>
  parseMeetingConfig({
    MEETING_ENDPOINT: sim.url,
    ...(mode === 'account'
      ? { MEETING_ACCOUNT: DEMO_CREDENTIALS.account, MEETING_PASSWORD: DEMO_CREDENTIALS.password }
      : { MEETING_APP_ID: DEMO_CREDENTIALS.appId, MEETING_APP_KEY: DEMO_CREDENTIALS.appKey }),
    MEETING_TIMEOUT_MS: '2000',
    ...env,
  });
