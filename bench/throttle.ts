import { connectMeeting } from '../lib/auth/connect-meeting.js';
import { parseMeetingConfig } from '../lib/config/meeting-config.js';
import { EVENT_TYPES } from '../lib/events/schemas.js';
import type { RateLimiter } from '../lib/meeting/rate-limiter.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import { startLifecycleEnv } from '../local/lifecycle-env.js';
import { atLeast, elapsed, exactly, inSection, type Row, runPool } from './support.js';

const noLimiter: RateLimiter = {
  acquire: async () => undefined,
  onThrottled: () => undefined,
  onSuccess: () => undefined,
};

/**
 * Issue 5's throttling: the simulator enforces `limit` requests per API per window; hires are
 * applied by 8 concurrent workers. Utilisation = admitted creates per full window / limit.
 * Baseline: the same client without the adaptive limiter (each call still waits out Retry-After
 * from its second 429).
 */
export const benchThrottle = async (options: {
  hires: number;
  limit: number;
  windowMs: number;
}): Promise<Row[]> => {
  const run = async (label: string, limiter: RateLimiter | undefined) => {
    const env = await startLifecycleEnv({
      env: { MEETING_MAX_ATTEMPTS: '10' },
      simulator: { rateLimitPerMinute: options.limit, rateLimitWindowMs: options.windowMs },
    });
    try {
      const config = parseMeetingConfig(env.env);
      // Admitted requests per server window (the simulator's windows are aligned to the clock).
      const perWindow = new Map<number, number>();
      const observer = {
        request: (e: { api: string; status?: number }) => {
          if (e.api !== 'createMember' || e.status !== 200) return;
          const w = Math.floor(Date.now() / options.windowMs);
          perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
        },
      };
      const lifecycle = env.with(
        {},
        { meeting: connectMeeting({ config, observer, ...(limiter && { rateLimiter: limiter }) }) },
      );
      const events = createHrEventFactory({ idPrefix: label });
      // Log in before the clock starts so every window is spent on member calls.
      await lifecycle.context.meeting.findMember('warm-up');
      env.simulator.resetCounters();
      const { seconds } = await elapsed(() =>
        runPool(options.hires, 8, (i) =>
          lifecycle.applyEvent(events(EVENT_TYPES.hired, `${label}${i}`, sampleMember(`${label}${i}`, i))),
        ),
      );
      const c = env.simulator.counters();
      const created = env.simulator.members().filter((m) => String(m.thirdAccount).startsWith(label)).length;
      // Full windows only: the first and last are partly outside the run.
      const windows = [...perWindow.keys()].sort((a, b) => a - b).slice(1, -1);
      const used = windows.reduce((sum, w) => sum + perWindow.get(w)!, 0);
      return {
        utilisation: windows.length > 0 ? used / (windows.length * options.limit) : Number.NaN,
        throttled: (c.faults.rateLimited ?? 0) / c.calls.createMember!,
        lost: options.hires - created,
        seconds,
      };
    } finally {
      await env.close();
    }
  };
  const ours = await run('thr', undefined);
  const base = await run('raw', noLimiter);
  const section = `throttle: ${options.limit} req / ${options.windowMs / 1000} s per API, ${options.hires} hires`;
  return inSection(section, [
    {
      metric: 'share of the server limit used',
      value: ours.utilisation * 100,
      unit: '%',
      digits: 1,
      baseline: { value: base.utilisation * 100 },
      goal: atLeast(90),
    },
    {
      metric: 'requests answered 429 (retry storm)',
      value: ours.throttled * 100,
      unit: '%',
      digits: 1,
      baseline: { value: base.throttled * 100 },
      ratio: 'fewer',
    },
    {
      metric: 'lost events',
      value: ours.lost,
      unit: 'events',
      baseline: { value: base.lost },
      goal: exactly(0),
    },
  ]);
};
