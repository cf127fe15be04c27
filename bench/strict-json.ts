import { findDuplicateKey } from '../lib/events/strict-json.js';
import { createHrEventFactory, sampleMember } from '../local/hr-event-factory.js';
import type { Row } from './support.js';

/** Median microseconds of `fn` over `rounds` rounds of `reps` calls, after a warm-up. */
const micros = (fn: () => unknown, rounds: number, reps: number): number => {
  for (let i = 0; i < reps; i++) fn();
  const samples = Array.from({ length: rounds }, () => {
    const start = performance.now();
    for (let i = 0; i < reps; i++) fn();
    return ((performance.now() - start) * 1000) / reps;
  }).sort((a, b) => a - b);
  return samples[Math.floor(rounds / 2)]!;
};

/**
 * The duplicate-key rule (lib/events/strict-json.ts) costs one scan of the already-parsed text
 * on top of JSON.parse, not a second parser: measured against JSON.parse of the same body, for a
 * full delivery and for hostile bodies at the 256 KiB limit (padding, dense arrays, many keys).
 */
export const benchStrictJson = (options: { rounds: number }): Row[] => {
  const events = createHrEventFactory();
  const delivery = JSON.stringify(
    Array.from({ length: 100 }, (_, i) =>
      events('employee.hired', `E${i}`, sampleMember(`E${i}`, i, { deptCode: 'RD-0102', title: 'Engineer' })),
    ),
    null,
    2,
  );
  const bodies: [string, string][] = [
    ['100-event delivery', delivery],
    [
      'one event padded to 256 KiB',
      JSON.stringify(events('employee.hired', 'E1', sampleMember('E1', 1))).padEnd(262_000),
    ],
    ['256 KiB dense array', `[${'0,'.repeat(130_000)}0]`],
    ['230 KiB, 20,000 keys', `{${Array.from({ length: 20_000 }, (_, i) => `"k${i}":[]`).join(',')}}`],
  ];
  return bodies.map(([name, body]) => {
    const reps = Math.max(5, Math.round(2_000_000 / body.length));
    const parse = micros(() => JSON.parse(body), options.rounds, reps);
    const scan = micros(() => findDuplicateKey(body), options.rounds, reps);
    return {
      section: 'intake: duplicate-key scan',
      metric: `${name}: scan (baseline: JSON.parse of it)`,
      value: scan,
      unit: 'µs',
      digits: 0,
      baseline: { value: parse },
      ratio: 'times',
    };
  });
};
