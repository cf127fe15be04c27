import { inspect } from 'node:util';
import { type Log, silentLog } from '../../lib/shared/log.js';

/**
 * Captures log output for tests that check what a run prints: writes to process.stdout and
 * process.stderr (Powertools' Logger writes there through its own Console) and calls of the
 * global console's methods (libraries that log with console.*).
 */
export interface OutputCapture {
  /** Everything captured so far, in order. */
  text(): string;
  /** Captured text split into non-empty lines. */
  lines(): string[];
  /** The lines that are JSON objects (structured log lines), parsed. */
  jsonLines(): Record<string, unknown>[];
  /** Puts the original writers back; idempotent. */
  stop(): void;
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

type Write = typeof process.stdout.write;

const chunkText = (chunk: unknown): string =>
  typeof chunk === 'string'
    ? chunk
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk).toString('utf8')
      : String(chunk);

const parseObject = (line: string): Record<string, unknown> | undefined => {
  if (!line.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/** Starts capturing; `echo: true` still passes everything through (for debugging a test). */
export const captureOutput = (options: { echo?: boolean } = {}): OutputCapture => {
  const chunks: string[] = [];
  const streams = [process.stdout, process.stderr] as const;
  const originalWrites = streams.map((stream) => stream.write);
  const originalConsole = CONSOLE_METHODS.map((name) => console[name]);

  streams.forEach((stream, i) => {
    const original = originalWrites[i]!;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      chunks.push(chunkText(chunk));
      if (options.echo) return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
      // Honour a completion callback, which callers may wait for.
      const callback = rest.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as Write;
  });
  CONSOLE_METHODS.forEach((name, i) => {
    console[name] = (...args: unknown[]) => {
      chunks.push(`${args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 10 }))).join(' ')}\n`);
      if (options.echo) originalConsole[i]!.apply(console, args);
    };
  });

  let stopped = false;
  const text = () => chunks.join('');
  const lines = () =>
    text()
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
  return {
    text,
    lines,
    jsonLines: () =>
      lines().flatMap((line) => {
        const parsed = parseObject(line);
        return parsed ? [parsed] : [];
      }),
    stop() {
      if (stopped) return;
      stopped = true;
      streams.forEach((stream, i) => {
        stream.write = originalWrites[i]!;
      });
      CONSOLE_METHODS.forEach((name, i) => {
        console[name] = originalConsole[i]!;
      });
    },
  };
};

export interface LogEntry {
  readonly level: keyof Log;
  readonly message: string;
  readonly extra: readonly Record<string, unknown>[];
}

export interface CapturingLog extends Log {
  readonly entries: readonly LogEntry[];
  /** Each entry as a JSON line and as util.inspect output, so either rendering can be searched. */
  text(): string;
}

/** Errors as a logger prints them: name, message, stack, own fields and the cause chain. */
const errorReplacer = (_key: string, value: unknown): unknown => {
  if (!(value instanceof Error)) return value;
  const { name, message, stack } = value;
  const fields = Object.fromEntries(Object.entries(value));
  return { ...fields, name, message, stack, cause: value.cause };
};

const render = (entry: LogEntry): string =>
  [
    JSON.stringify({ level: entry.level, message: entry.message, extra: entry.extra }, errorReplacer),
    inspect(entry.extra, { depth: 10 }),
  ].join('\n');

/**
 * A Log (the lib/ logging port) that records every call and forwards it to `forward`, e.g. the
 * functions' Powertools logger, so a test sees both what lib/ handed over and what was printed.
 */
export const createCapturingLog = (forward: Log = silentLog): CapturingLog => {
  const entries: LogEntry[] = [];
  const method =
    (level: keyof Log) =>
    (message: string, ...extra: Record<string, unknown>[]) => {
      entries.push({ level, message, extra });
      forward[level](message, ...extra);
    };
  return {
    entries,
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    text: () => entries.map(render).join('\n'),
  };
};
