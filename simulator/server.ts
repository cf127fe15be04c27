import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { systemClock } from '../lib/shared/clock.js';
import { LIMITS } from './constants.js';
import { createControl } from './control.js';
import { Counters } from './counters.js';
import { FaultInjector } from './faults.js';
import { createPipeline } from './pipeline.js';
import { RateLimiter } from './rate-limit.js';
import type { FaultConfig, MeetingSimulator, SimulatorOptions } from './types.js';
import { adminView, deptView, memberView } from './views.js';
import { createWorld, type World } from './world.js';

const positiveInt = (name: string, v: number | undefined, def: number): number => {
  if (v === undefined) return def;
  if (!Number.isInteger(v) || v <= 0) throw new TypeError(`${name}: a positive integer is required`);
  return v;
};

const checkOptions = (o: SimulatorOptions) => {
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535)) {
    throw new TypeError('port: an integer 0-65535 is required');
  }
  if (o.clock !== undefined && typeof o.clock.now !== 'function') throw new TypeError('clock: needs now()');
  if (o.latencyMs !== undefined && !(Number.isInteger(o.latencyMs) && o.latencyMs >= 0)) {
    throw new TypeError('latencyMs: a non-negative integer is required');
  }
  const clock = o.clock ?? systemClock;
  if (o.pageLimitEcho !== undefined && !['served', 'requested'].includes(o.pageLimitEcho)) {
    throw new TypeError("pageLimitEcho: 'served' or 'requested'");
  }
  if (o.alreadyDone !== undefined && !['ok', 'code'].includes(o.alreadyDone)) {
    throw new TypeError("alreadyDone: 'ok' or 'code'");
  }
  return {
    port: o.port ?? 0,
    host: o.host ?? '127.0.0.1',
    tokenValidSeconds: positiveInt('tokenValidSeconds', o.tokenValidSeconds, 43_200),
    tokenCap: positiveInt('tokenCap', o.tokenCap, 64),
    now: () => clock.now(),
    windowMs: positiveInt('rateLimitWindowMs', o.rateLimitWindowMs, 60_000),
    latencyMs: o.latencyMs ?? 0,
    behaviour: {
      pageSizeCap: Math.min(positiveInt('pageSizeCap', o.pageSizeCap, LIMITS.pageMax), LIMITS.pageMax),
      pageLimitEcho: o.pageLimitEcho ?? 'served',
      alreadyDone: o.alreadyDone,
    },
  };
};

/**
 * Starts an in-process Huawei Cloud Meeting simulator on a real socket (docs/meeting-api.md §0-§7).
 * `reset()` returns it to the state right after start: fresh directory and tokens, zero
 * counters, and the faults / rate limit given in `options`.
 */
export const startMeetingSimulator = async (options: SimulatorOptions = {}): Promise<MeetingSimulator> => {
  const settings = checkOptions(options);
  const newWorld = () => createWorld(settings);
  let world: World = newWorld();
  let faults = new FaultInjector(options.faults);
  const counters = new Counters();
  const limiter = new RateLimiter(settings.now, settings.windowMs, options.rateLimitPerMinute);
  const closing = new AbortController();
  // Every request waiting out an injected latency listens here until its wait ends (and then
  // removes its listener): legitimately one listener per request in flight, not a leak.
  setMaxListeners(0, closing.signal);
  let closed: Promise<void> | undefined;

  const sim: Omit<MeetingSimulator, 'url'> = {
    counters: () => counters.snapshot(),
    resetCounters: () => counters.reset(),
    reset: () => {
      world = newWorld();
      counters.reset();
      faults = new FaultInjector(options.faults);
      limiter.set(options.rateLimitPerMinute);
    },
    setFaults: (config: FaultConfig | undefined) => {
      faults = new FaultInjector(config);
    },
    setRateLimit: (perMinute) => limiter.set(perMinute),
    revokeAllTokens: () => world.tokens.revokeAll(),
    activeTokenCount: () => world.tokens.activeCount(),
    setOffline: async (offline) => {
      if (offline === !server.listening) return;
      if (offline) {
        // Stop listening (new connections are refused) and drop the kept-alive ones.
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      } else {
        await listen(port);
      }
    },
    members: () => [...world.members.all()].map((m) => memberView(m, world.depts)),
    admins: () => world.members.admins().map((m) => adminView(m, world.depts)),
    // Idempotent: a second close() gets the first one's promise.
    close: () => {
      closed ??= new Promise<void>((resolve, reject) => {
        closing.abort();
        if (!server.listening) return resolve(); // offline (setOffline): nothing to close
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closed;
    },
  };

  const control = createControl({
    ...sim,
    faults: () => faults.config,
    state: () => ({
      members: sim.members(),
      admins: sim.admins(),
      departments: [...world.depts.all()].map((d) => deptView(d, world.depts)),
      activeTokens: sim.activeTokenCount(),
    }),
  });
  const pipeline = createPipeline(
    {
      world: () => world,
      counters,
      faults: () => faults,
      limiter,
      latencyMs: settings.latencyMs,
      signal: closing.signal,
      ...(options.onRequest && { onRequest: options.onRequest }),
    },
    control,
  );
  const server = createServer((req, res) => void pipeline(req, res));
  const listen = (at: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(at, settings.host, () => {
        server.off('error', reject);
        resolve();
      });
    });

  await listen(settings.port);
  const address = server.address() as AddressInfo;
  // Back online on the same port (setOffline), so clients keep their URL.
  const port = address.port;
  const host = address.address.includes(':') ? `[${address.address}]` : address.address;
  return Object.freeze({ ...sim, url: `http://${host}:${address.port}` });
};
