import { describe, expect, it } from 'vitest';
import { generateHistory } from '../../chaos/history.js';
import { planSending } from '../../chaos/plan.js';
import { hrEventSchema } from '../../lib/events/schemas.js';

const options = { seed: 7, events: 2_000, employees: 400, poisonEmployees: 2 };
const planOptions = { seed: 7, deliverySize: 100, repostRate: 0.1, resendRate: 0.1, reorderRate: 0.2 };

describe('chaos history and sending plan', () => {
  it('is reproducible from the seed and differs for another seed', () => {
    const a = generateHistory(options);
    expect(generateHistory(options)).toEqual(a);
    expect(planSending(a, planOptions)).toEqual(planSending(a, planOptions));
    expect(generateHistory({ ...options, seed: 8 }).events).not.toEqual(a.events);
  });

  it('produces valid events, the requested count, and increasing versions per employee', () => {
    const h = generateHistory(options);
    expect(h.events).toHaveLength(options.events);
    expect(new Set(h.events.map((e) => e.id)).size).toBe(options.events);
    for (const e of h.events) expect(hrEventSchema.safeParse(e).success).toBe(true);
    for (const { events } of [...h.employees, ...h.poison]) {
      expect(events.map((e) => e.version)).toEqual([...events.map((e) => e.version)].sort((x, y) => x - y));
    }
    expect(h.poison).toHaveLength(2);
  });

  it('reorders employees into orders other than HR order, and keeps every event', () => {
    const h = generateHistory(options);
    const plan = planSending(h, planOptions);
    expect(plan.reordered.size).toBeGreaterThan(10);
    for (const [id, order] of plan.reordered) {
      const events = h.employees.find((e) => e.employeeId === id)!.events;
      expect(order.map((e) => e.id)).not.toEqual(events.map((e) => e.id));
      expect(order.map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    }
    const sent = plan.deliveries.flatMap((d) => d.events.map((e) => e.id));
    expect(sent.sort()).toEqual(h.events.map((e) => e.id).sort());
    expect(Math.max(...plan.deliveries.map((d) => d.events.length))).toBeLessThanOrEqual(100);
  });
});
