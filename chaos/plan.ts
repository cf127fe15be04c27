import type { HrEvent } from '../lib/events/schemas.js';
import type { History } from './history.js';
import { createPrng, deriveSeed, type Prng } from './prng.js';

/**
 * How the HR stream reaches the webhook: per-employee arrival order (HR order, or for a share of
 * the employees a random permutation of their events), cut into deliveries, some posted twice with the same webhook-id and
 * some whose events are sent again in a new delivery.
 */

export interface Delivery {
  readonly index: number;
  readonly events: readonly HrEvent[];
  readonly employees: ReadonlySet<string>;
  /** Post again with the same webhook-id after the first 202 (a sender retry). */
  readonly repost: boolean;
  /** Events sent again afterwards in a new delivery (new webhook-id, same event ids). */
  readonly resend: readonly HrEvent[];
}

export interface SendPlan {
  readonly deliveries: readonly Delivery[];
  /** Employees whose events arrive out of HR order, with that order. */
  readonly reordered: ReadonlyMap<string, readonly HrEvent[]>;
}

export interface PlanOptions {
  readonly seed: number;
  readonly deliverySize: number;
  readonly repostRate: number;
  readonly resendRate: number;
  readonly reorderRate: number;
}

/**
 * Any arrival order must end where HR order ends (per-aspect convergence), so a reordered
 * employee's events arrive in a fully random order, guaranteed to differ from HR order.
 */
const reorder = (prng: Prng, events: readonly HrEvent[]): HrEvent[] | undefined => {
  if (events.length < 2) return undefined;
  for (;;) {
    const order = prng.shuffle(events);
    if (order.some((e, i) => e.id !== events[i]!.id)) return order;
  }
};

export const planSending = (history: History, options: PlanOptions): SendPlan => {
  const prng = createPrng(deriveSeed(options.seed, 'plan'));
  const reordered = new Map<string, readonly HrEvent[]>();
  for (const employee of history.employees) {
    if (!prng.chance(options.reorderRate)) continue;
    const order = reorder(prng, employee.events);
    if (order) reordered.set(employee.employeeId, order);
  }

  // The HR-wide stream keeps its slots; a reordered employee's slots are filled in its new order.
  const pending = new Map([...reordered].map(([id, order]) => [id, [...order]]));
  const stream = history.events.map((event) => pending.get(event.employeeId)?.shift() ?? event);

  const deliveries: Delivery[] = [];
  for (let start = 0; start < stream.length; ) {
    const size = prng.chance(0.7) ? options.deliverySize : 1 + prng.int(options.deliverySize);
    const events = stream.slice(start, start + size);
    start += events.length;
    const resent = prng.chance(options.resendRate) ? events.filter(() => prng.chance(0.3)) : undefined;
    deliveries.push({
      index: deliveries.length,
      events,
      employees: new Set(events.map((e) => e.employeeId)),
      repost: prng.chance(options.repostRate),
      resend: resent === undefined ? [] : resent.length > 0 ? resent : [events[0]!],
    });
  }
  return { deliveries, reordered };
};
