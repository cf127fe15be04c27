import type { Clock, Log } from '../../lib/shared/index.js';

/** A clock tests move by hand (shared by the simulator and the client for expiry tests). */
export const fakeClock = (start = Date.UTC(2025, 0, 1)) => {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  } satisfies Clock & { advance(ms: number): void };
};

/** A logger that keeps every line as JSON text, to search for secrets. */
export const captureLog = () => {
  const lines: string[] = [];
  const write =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      lines.push(JSON.stringify({ level, message, extra }));
    };
  const log: Log = { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
  return { log, lines, text: () => lines.join('\n') };
};

/** A sleep that records requested delays and waits only `realMs` (keeps retry tests fast). */
export const recordingSleep = (realMs = 0) => {
  const delays: number[] = [];
  const sleep = (ms: number) => {
    delays.push(ms);
    return new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, realMs)));
  };
  return { sleep, delays };
};
