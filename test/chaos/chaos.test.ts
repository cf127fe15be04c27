import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAOS_CONFIG, formatReport, runChaos } from '../../chaos/index.js';

// The short variant of `npm run chaos`: the whole local system (signed webhook → FIFO queue →
// worker → simulator, dynalite) under faults, duplicates, reordering and kills.
describe('chaos', () => {
  it('converges to the HR history; only the deliberately unprocessable events dead-letter', async () => {
    const result = await runChaos({
      ...DEFAULT_CHAOS_CONFIG,
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
    const f = result.figures;
    const report = formatReport(result).join('\n');
    const mismatches = result.mismatches.map((m) => `${m.kind} ${m.employeeId ?? ''}: ${m.detail}`);
    expect(mismatches, report).toEqual([]);
    expect(f.deadLetters, 'the poison events').toBe(
      result.history.poison.reduce((s, p) => s + p.events.length, 0),
    );
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
});
