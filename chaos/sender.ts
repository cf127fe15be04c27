import { randomUUID } from 'node:crypto';
import type { HrEvent } from '../lib/events/schemas.js';
import { sleep } from '../lib/shared/clock.js';
import { postSignedWebhook } from '../local/webhook-client.js';
import type { Delivery, SendPlan } from './plan.js';

/**
 * Posts the plan's deliveries like an HR system with several senders: signed, concurrently, an
 * answer other than 202 retried with the same webhook-id. One employee's deliveries go out in
 * plan order (a later one waits for the earlier 202), so each employee's arrival order at the
 * queue is the planned one, whatever the concurrency.
 */

export interface SendStats {
  /** Original deliveries accepted. */
  deliveries: number;
  /** Events in them. */
  events: number;
  /** Every HTTP post, duplicates and retries included. */
  posts: number;
  /** Deliveries posted again with the same webhook-id. */
  reposts: number;
  /** New deliveries carrying events already sent. */
  resentDeliveries: number;
  resentEvents: number;
  /** Posts answered other than 202 and tried again. */
  retries: number;
  /** HTTP status (or "network") → count, per kind of post. */
  answers: Record<string, number>;
  /** Deliveries never accepted: their events never entered the system. */
  failed: { index: number; status: string }[];
}

export interface SenderOptions {
  readonly url: string;
  readonly secret: string;
  readonly senders: number;
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
}

const ACCEPTED = 202;

/** A counting semaphore: at most `slots` posts in flight. */
const semaphore = (slots: number) => {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
};

export const sendPlan = async (plan: SendPlan, options: SenderOptions): Promise<SendStats> => {
  const stats: SendStats = {
    deliveries: 0,
    events: 0,
    posts: 0,
    reposts: 0,
    resentDeliveries: 0,
    resentEvents: 0,
    retries: 0,
    answers: {},
    failed: [],
  };
  const limit = semaphore(options.senders);
  const maxAttempts = options.maxAttempts ?? 6;
  const retryDelayMs = options.retryDelayMs ?? 200;

  /** Posts until 202 (same webhook-id each time); returns the last status. */
  const post = async (kind: string, events: readonly HrEvent[], webhookId: string): Promise<string> => {
    let status = 'none';
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        stats.retries++;
        await sleep(retryDelayMs * attempt);
      }
      stats.posts++;
      try {
        status = String((await postSignedWebhook(options.url, options.secret, events, { webhookId })).status);
      } catch {
        status = 'network';
      }
      stats.answers[`${kind} ${status}`] = (stats.answers[`${kind} ${status}`] ?? 0) + 1;
      if (status === String(ACCEPTED)) return status;
      // 409 = the same webhook-id is in progress, 5xx = ours: a sender tries again. Other 4xx will not change.
      if (status !== 'network' && status !== '409' && !status.startsWith('5')) return status;
    }
    return status;
  };

  const deliver = async (delivery: Delivery) => {
    const webhookId = `msg_chaos_${delivery.index}_${randomUUID()}`;
    const status = await limit(() => post('delivery', delivery.events, webhookId));
    if (status !== String(ACCEPTED)) {
      stats.failed.push({ index: delivery.index, status });
      return;
    }
    stats.deliveries++;
    stats.events += delivery.events.length;
    if (delivery.repost) {
      stats.reposts++;
      await limit(() => post('repost', delivery.events, webhookId));
    }
    if (delivery.resend.length > 0) {
      stats.resentDeliveries++;
      stats.resentEvents += delivery.resend.length;
      await limit(() =>
        post('resend', delivery.resend, `msg_chaos_resend_${delivery.index}_${randomUUID()}`),
      );
    }
  };

  // Chain each delivery behind the earlier ones that share an employee.
  const lastFor = new Map<string, Promise<void>>();
  const all = plan.deliveries.map((delivery) => {
    const before = [...delivery.employees].flatMap((id) => lastFor.get(id) ?? []);
    const done = Promise.all(before).then(() => deliver(delivery));
    for (const id of delivery.employees) lastFor.set(id, done);
    return done;
  });
  await Promise.all(all);
  return stats;
};
