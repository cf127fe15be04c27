import { describe, expect, it } from 'vitest';
import { DEFAULT_CHAOS_CONFIG, formatReport, runChaos } from '../../chaos/index.js';

describe('chaos: the whole local system under faults, duplicates, reordering and kills', () => {
  it('converges to the HR history; only the deliberately unprocessable events dead-letter', async () => {
    const result = await runChaos({
      ...DEFAULT_CHAOS_CONFIG,
      seed: 20_251_125,
      events: 600,
      employees: 150,
      senders: 4,
      killRate: 0.1,
      reorderRate: 0.15,
      repostRate: 0.3,
      resendRate: 0.3,
      deliverySize: 50,
      // Higher rates than the full run so every kind shows up in a small one.
      faults: {
        ...DEFAULT_CHAOS_CONFIG.faults,
        errorRate: 0.04,
        throttleRate: 0.03,
        resetRate: 0.02,
        revokeRate: 0.02,
        slowRate: 0.01,
      },
      drainTimeoutMs: 40_000,
    });
    const f = result.figures;
    const report = formatReport(result).join('\n');
    const mismatches = result.mismatches.map((m) => `${m.kind} ${m.employeeId ?? ''}: ${m.detail}`);
    expect(mismatches, report).toEqual([]);
    expect(f.deadLetters).toBeGreaterThan(0);
    for (const kind of ['error', 'throttle', 'slow', 'reset', 'revoke'])
      expect(f.meeting.faults[kind], kind).toBeGreaterThan(0);
    expect(f.worker.kills).toBeGreaterThan(0);
    expect(f.worker.killsMidBatch).toBeGreaterThan(0);
    expect(f.worker.redeliveries).toBeGreaterThan(0);
    expect(f.send.reposts).toBeGreaterThan(0);
    expect(f.queue.deduplicated).toBeGreaterThan(0);
    expect(f.reorderedEmployees).toBeGreaterThan(0);
  }, 90_000);
});
