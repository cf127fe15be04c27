import { afterEach, beforeEach } from 'vitest';
import { type MeetingConfig, parseMeetingConfig } from '../../lib/config/index.js';
import {
  DEMO_CREDENTIALS,
  type MeetingSimulator,
  type SimulatorOptions,
  startMeetingSimulator,
} from '../../simulator/index.js';

export interface SimulatorHandle {
  /** The running simulator (set in beforeEach). */
  readonly sim: MeetingSimulator;
}

/**
 * A fresh simulator for every test, on 127.0.0.1:0, closed after the test. Closing drops every
 * connection, so a request a timed-out test left behind can never reach (and count in) the
 * next test's simulator, however slow the machine.
 */
export const useSimulator = (options: SimulatorOptions = {}): SimulatorHandle => {
  let sim: MeetingSimulator | undefined;
  beforeEach(async () => {
    sim = await startMeetingSimulator({ host: '127.0.0.1', port: 0, ...options });
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
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
