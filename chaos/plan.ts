import type { HrEvent } from '../lib/events/schemas.js';
import type { History } from './history.js';
import { expectedMember, foldArrivals, sameMember } from './model.js';
import { createPrng, deriveSeed, type Prng } from './prng.js';

/**
 * How the HR stream reaches the webhook: per-employee arrival order (mostly HR order, some
 * employees out of order), cut into deliveries, some posted twice with the same webhook-id and
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

const sameOrder = (a: readonly HrEvent[], b: readonly HrEvent[]) => a.every((e, i) => e.id === b[i]!.id);

const candidates = (prng: Prng, events: readonly HrEvent[]): HrEvent[][] => {
  const out: HrEvent[][] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const swapped = [...events];
    const i = prng.int(events.length);
    const j = prng.int(events.length);
    [swapped[i], swapped[j]] = [swapped[j]!, swapped[i]!];
    out.push(swapped);
  }
  const k = 1 + prng.int(events.length - 1);
  out.push([events[k]!, ...events.slice(0, k), ...events.slice(k + 1)]); // a newer event overtakes the rest
  out.push(prng.shuffle(events));
  out.push([...events].reverse());
  return out;
};

/**
 * An out-of-order arrival for this history that must end where HR order ends: late older events
 * are skipped by version, so the newest decides. Orders under which the lifecycle rules could
 * not know the outcome (say a leaver's later update overtaking the termination, which recreates
 * the member) are not HR's "highest version wins" promise and are left out.
 */
const reorder = (prng: Prng, events: readonly HrEvent[]): HrEvent[] | undefined => {
  if (events.length < 2) return undefined;
  const expected = expectedMember(events);
  return candidates(prng, events).find(
    (order) => !sameOrder(order, events) && sameMember(foldArrivals(order).member, expected),
  );
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
