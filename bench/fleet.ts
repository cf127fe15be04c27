import { createLifecycleRuntime } from '../functions/shared/lifecycle-runtime.js';
import { connectMeeting } from '../lib/auth/connect-meeting.js';
import { parseMeetingConfig } from '../lib/config/meeting-config.js';
import { EVENT_TYPES } from '../lib/events/schemas.js';
import type { Lifecycle } from '../lib/lifecycle/create-lifecycle.js';
import { createAdaptiveRateLimiter } from '../lib/meeting/rate-limiter.js';
import { sleep } from '../lib/shared/clock.js';
import { silentLog } from '../lib/shared/log.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import { startLifecycleEnv } from '../local/lifecycle-env.js';
import { SIMULATOR_AUTH_APIS } from '../simulator/index.js';
import { atMost, inSection, type Row, runPool } from './support.js';

const WORKERS = 5;
const MINUTE = 60_000;

/** The most requests of one API in any `windowMs` (two pointers over sorted times). */
const busiest = (requests: readonly { api: string; at: number }[], windowMs: number) => {
  const byApi = new Map<string, number[]>();
  for (const r of requests) {
    if (SIMULATOR_AUTH_APIS.has(r.api)) continue; // logins are not paced: one per token lifetime
    byApi.set(r.api, [...(byApi.get(r.api) ?? []), r.at]);
  }
  let best = { api: 'none', count: 0 };
  for (const [api, times] of byApi) {
    times.sort((a, b) => a - b);
    for (let lo = 0, hi = 0; hi < times.length; hi++) {
      while (times[hi]! - times[lo]! >= windowMs) lo++;
      if (hi - lo + 1 > best.count) best = { api, count: hi - lo + 1 };
    }
  }
  return best;
};

/**
 * Issue 9 item 5: MEETING_RATE_LIMIT_PER_MINUTE for the whole fleet. Five workers (each its own
 * container: Meeting client, adaptive limiter) apply hires one at a time, as a worker applies a
 * batch, while a cleanup container runs again and again; all share the simulator and the table.
 * Measured at the simulator: the most calls of one API in any 60 s. Baseline: the same fleet
 * with the ceiling per container, as before (a short run; its rate is per minute of that run).
 */
export const benchFleet = async (options: { perMinute: number; seconds: number }): Promise<Row[]> => {
  const { perMinute } = options;
  const hiresEach = Math.ceil((perMinute * options.seconds) / 60 / WORKERS);

  const run = async (label: string, fleetWide: boolean, hires: number) => {
    const requests: { api: string; at: number }[] = [];
    const env = await startLifecycleEnv({
      env: { MEETING_RATE_LIMIT_PER_MINUTE: String(perMinute), MEETING_TIMEOUT_MS: '10000' },
      simulator: { onRequest: (api, at) => requests.push({ api, at }) },
    });
    try {
      const container = async (): Promise<Lifecycle> =>
        fleetWide
          ? createLifecycleRuntime(env.env, silentLog)
          : env.with(
              {},
              {
                meeting: connectMeeting({
                  config: parseMeetingConfig(env.env),
                  rateLimiter: createAdaptiveRateLimiter({ perMinute }),
                }),
              },
            );
      const workers = await Promise.all(Array.from({ length: WORKERS }, container));
      const cleanup = await container();
      const events = createHrEventFactory({ idPrefix: label });
      const started = Date.now();
      let done = false;
      let cleanupRuns = 0;
      const cleaning = (async () => {
        while (!done) {
          await cleanup.runCleanup();
          cleanupRuns++;
          await sleep(1_000);
        }
      })();
      await Promise.all(
        workers.map((worker, w) =>
          runPool(hires, 1, (i) =>
            worker.applyEvent(
              events(EVENT_TYPES.hired, `${label}${w}x${i}`, sampleMember(`${label}${w}x${i}`, i)),
            ),
          ),
        ),
      );
      done = true;
      await cleaning;
      const seconds = (Date.now() - started) / 1000;
      const windowMs = Math.min(MINUTE, seconds * 1000);
      const top = busiest(requests, windowMs);
      return { perMinute: (top.count * MINUTE) / windowMs, api: top.api, seconds, cleanupRuns };
    } finally {
      await env.close();
    }
  };

  const fleet = await run('flt', true, hiresEach);
  const before = await run('pcn', false, Math.max(10, Math.round(hiresEach / 6)));
  const section = `fleet: ${WORKERS} workers + cleanup, MEETING_RATE_LIMIT_PER_MINUTE=${perMinute}`;
  return inSection(section, [
    {
      metric: `busiest API (${fleet.api}): most calls in any 60 s`,
      value: fleet.perMinute,
      unit: 'calls/min',
      digits: 0,
      baseline: { value: before.perMinute, note: 'ceiling per container' },
      ratio: 'times',
      goal: atMost(perMinute),
    },
    { metric: 'run length', value: fleet.seconds, unit: 's', digits: 0 },
    { metric: 'cleanup runs meanwhile', value: fleet.cleanupRuns, unit: 'runs' },
  ]);
};
