import { describe, expect, it } from 'vitest';
import {
  type ChaosConfig,
  DEFAULT_CHAOS_CONFIG,
  DEFAULT_OUTAGE,
  formatReport,
  runChaos,
} from '../../chaos/index.js';
import { MAX_RECEIVE_COUNT } from '../../lib/queue/redelivery.js';

/**
 * Runs the chaos suite with `overrides` and checks what every run must end with: Meeting as the
 * HR history says, and only the deliberately unprocessable (poison) events dead-lettered.
 */
const runConverging = async (overrides: Partial<ChaosConfig>) => {
  const result = await runChaos({ ...DEFAULT_CHAOS_CONFIG, ...overrides });
  const report = formatReport(result).join('\n');
  const mismatches = result.mismatches.map((m) => `${m.kind} ${m.employeeId ?? ''}: ${m.detail}`);
  expect(mismatches, report).toEqual([]);
  expect(result.figures.deadLetters, 'only the poison events').toBe(
    result.history.poison.reduce((s, p) => s + p.events.length, 0),
  );
  return { f: result.figures, report };
};

// The short variant of `npm run chaos`: the whole local system (signed webhook → FIFO queue →
// worker → simulator, dynalite) under faults, duplicates, reordering and kills.
describe('chaos', () => {
  it('converges to the HR history; only the deliberately unprocessable events dead-letter', async () => {
    const { f } = await runConverging({
      seed: 20_251_125,
      events: 600,
      employees: 150,
      deliverySize: 50,
      killRate: 0.08,
      reorderRate: 0.15,
      repostRate: 0.3,
      resendRate: 0.3,
      // Higher rates than the full run, so every kind shows up in a small one.
      faults: {
        ...DEFAULT_CHAOS_CONFIG.faults,
        errorRate: 0.04,
        throttleRate: 0.01,
        resetRate: 0.02,
        revokeRate: 0.02,
        slowRate: 0.01,
      },
      // Shorter than the full run's, so a failed batch's second chance comes sooner.
      workerTimeoutMs: 8_000,
      visibilityTimeoutMs: 8_000,
      drainTimeoutMs: 45_000,
    });
    for (const kind of ['error', 'throttle', 'slow', 'reset', 'revoke']) {
      expect(f.meeting.faults[kind], kind).toBeGreaterThan(0);
    }
    expect(f.worker.kills).toBeGreaterThan(0);
    expect(f.worker.killsMidBatch).toBeGreaterThan(0);
    expect(f.worker.redeliveries).toBeGreaterThan(0);
    expect(f.send.reposts).toBeGreaterThan(0);
    expect(f.queue.deduplicated).toBeGreaterThan(0);
    expect(f.reorderedEmployees).toBeGreaterThan(0);
  }, 90_000);

  // The short variant of `CHAOS_OUTAGE=1 npm run chaos`: a 2-hour Meeting outage (5xx, then
  // refused connections) at 1:480, i.e. 15 s, with the worker's redelivery delays shortened
  // alike. How fast it recovers is the full drill's figure (a speed claim, not a test's).
  it('rides out a 2-hour Meeting outage: nothing dead-lettered, converged after, receive budget to spare', async () => {
    const { f, report } = await runConverging({
      seed: 20_260_509,
      events: 200,
      employees: 40,
      killRate: 0,
      drainTimeoutMs: 60_000,
      outage: { ...DEFAULT_OUTAGE, timeScale: 480, convergeWithinMinutes: Number.POSITIVE_INFINITY },
    });
    // The outage was real, and the worker handed its events back instead of letting them time out.
    expect(f.outage!.callsDuringOutage, report).toBeGreaterThan(0);
    expect(f.outage!.handedBack, report).toBeGreaterThan(0);
    expect(f.queue.visibilityTimeouts, report).toBe(0);
    expect(f.outage!.maxReceiveCount, report).toBeLessThan(MAX_RECEIVE_COUNT);
  }, 120_000);
});
