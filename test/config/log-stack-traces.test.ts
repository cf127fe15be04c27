import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseLoggingConfig } from '../../lib/config/logging-config.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { startVendorSimulators, type VendorSimulators } from '../../local/vendor-simulators.js';
import { captureOutput } from '../helpers/log-capture.js';

// The functions' loggers read their settings when their modules load: hoisted above the imports.
// Log level DEBUG, to show that the level alone never brings stack traces back (DEBUG=1 does).
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  vi.stubEnv('DEBUG', '');
});

/** Every `stack` key at any depth, and any line of a stack trace in the text. */
const stacksIn = (text: string, lines: Record<string, unknown>[]) => {
  const keys: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'stack') keys.push(`${path}.${key}`);
      walk(child, `${path}.${key}`);
    }
  };
  for (const [i, line] of lines.entries()) walk(line, `line${i}`);
  return {
    keys,
    frames: text.split('\n').filter((line) => /\s{2,}at \S/.test(line) || /\\n\s+at /.test(line)),
  };
};

const errorOf = (line: Record<string, unknown> | undefined) =>
  line?.error as Record<string, unknown> | undefined;

const events = createHrEventFactory({ idPrefix: 'stackless' });
let stack: LocalStack;
let vendors: VendorSimulators;
beforeAll(async () => {
  vendors = await startVendorSimulators();
  // The BambooHR API is unreachable (nothing listens on port 9): each delivery answers 503.
  stack = await startLocalStack({
    env: { ...vendors.env, BAMBOOHR_API_BASE_URL: 'http://127.0.0.1:9', DISABLE_LINGER_MS: '0' },
  });
  vendors.connect(stack);
});
afterAll(async () => {
  await stack?.stop();
  await vendors?.close();
  vi.unstubAllEnvs();
});

describe('error logs carry no stack trace unless DEBUG=1', () => {
  it('a dead-lettered queue message: name and message, no stack', async () => {
    const output = captureOutput();
    try {
      const event = events(EVENT_TYPES.hired, 'S1', sampleMember('S1', 1));
      await stack.queue.send([
        { body: JSON.stringify({ ...event, version: -1 }), groupId: 'S1', deduplicationId: event.id },
      ]);
      await stack.drain();
    } finally {
      output.stop();
    }
    const line = output.jsonLines().find((l) => l.message === 'event dead-lettered');
    expect(errorOf(line)).toMatchObject({
      name: 'EventValidationError',
      message: expect.stringMatching(/^queued event is invalid: \$\.version: /),
    });
    expect(stacksIn(output.text(), output.jsonLines())).toEqual({ keys: [], frames: [] });
  });

  it('a connector 503 (vendor API unreachable): name, message and the cause message, no stacks', async () => {
    const output = captureOutput();
    try {
      const reply = await vendors.bamboohr.hire({
        firstName: 'Ada',
        lastName: 'L',
        workEmail: 'ada@corp.example',
      });
      expect(reply.deliveries.map((d) => d.status)).toEqual([503, 503]);
    } finally {
      output.stop();
    }
    const line = output
      .jsonLines()
      .find((l) => l.message === 'connector delivery failed; the vendor will retry');
    const error = errorOf(line);
    expect(error).toMatchObject({ name: 'ConnectorError', message: expect.any(String) });
    expect(error?.cause).toMatchObject({ message: expect.any(String) });
    expect(stacksIn(output.text(), output.jsonLines())).toEqual({ keys: [], frames: [] });
  });
});

describe('DEBUG=1 brings the stack traces back', () => {
  it('reads DEBUG as the CLI does; other values (a debug-package namespace list) leave it off', () => {
    for (const on of ['1', 'true', 'TRUE', 'yes', ' 1 '])
      expect(parseLoggingConfig({ DEBUG: on }).stackTraces).toBe(true);
    for (const off of [undefined, '', '0', 'false', 'no', 'express:*', '*']) {
      expect(parseLoggingConfig({ DEBUG: off }).stackTraces, String(off)).toBe(false);
    }
  });

  it("the functions' logger logs the stack of an error and of its cause", async () => {
    vi.resetModules();
    vi.stubEnv('DEBUG', '1');
    const { observabilityFor } = await import('../../functions/shared/observability.js');
    const { logger } = observabilityFor('lifecycle-worker');
    const output = captureOutput();
    try {
      logger.error('event dead-lettered', { error: new Error('outer', { cause: new TypeError('inner') }) });
    } finally {
      output.stop();
      vi.stubEnv('DEBUG', '');
    }
    const [line] = output.jsonLines();
    const error = errorOf(line);
    expect(error).toMatchObject({
      name: 'Error',
      message: 'outer',
      cause: { name: 'TypeError', message: 'inner' },
    });
    expect(stacksIn(output.text(), output.jsonLines()).keys).toEqual([
      'line0.error.stack',
      'line0.error.cause.stack',
    ]);
  });
});
