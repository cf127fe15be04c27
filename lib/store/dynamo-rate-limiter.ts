import type { RateLimiter } from '../meeting/rate-limiter.js';
import { type Clock, sleep as defaultSleep, systemClock } from '../shared/index.js';
import { type DynamoPort, isConditionFailure } from './dynamo-port.js';
import { toStoreError, unlessConditionFails } from './errors.js';
import { ITEM_TYPES, ratePk, ttlSeconds } from './keys.js';
import { TABLE_KEYS } from './table.js';

export interface DynamoRateLimiterOptions {
  readonly client: DynamoPort;
  readonly tableName: string;
  /** The fleet's ceiling per API per minute (MEETING_RATE_LIMIT_PER_MINUTE), > 0. */
  readonly perMinute: number;
  readonly clock?: Clock;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const MINUTE_MS = 60_000;
/**
 * Calls are spaced 1 % wider than the ceiling needs: room for the time between taking a turn
 * and the request reaching Meeting (timers firing late, the network), so that no 60 s seen at
 * Meeting holds more than the ceiling.
 */
export const RATE_HEADROOM = 0.01;

/** The spacing of one API's calls across the fleet. */
export const rateInterval = (perMinute: number) => (MINUTE_MS / perMinute) * (1 + RATE_HEADROOM);

/**
 * A rate ceiling for the whole fleet (every worker and the cleanup function), kept in the
 * single table as one item per API holding the earliest time the next call may go (`next`).
 * A call takes a turn with one conditional UpdateItem: when Meeting is idle (`next` has
 * passed), it sets `next = now + interval` and goes at once; when calls are queued, it moves
 * `next` on by one interval and goes at the old `next`. Turns are thus spaced one interval
 * apart fleet-wide, so any 60 s holds at most the ceiling, whichever containers took them.
 * Only turns are counted; pacing after 429s stays with each container's adaptive limiter
 * (combineRateLimiters). A store failure fails the call (retried as any transient failure):
 * the ceiling never switches itself off. Layout and cost: docs/store.md.
 */
export const createDynamoRateLimiter = ({
  client,
  tableName,
  perMinute,
  clock = systemClock,
  sleep = defaultSleep,
}: DynamoRateLimiterOptions): RateLimiter => {
  if (!Number.isInteger(perMinute) || perMinute < 1) {
    throw new RangeError('createDynamoRateLimiter: perMinute must be a positive integer');
  }
  const interval = rateInterval(perMinute);
  /** Per API: did the last turn find calls queued? Then that is tried first (one write). */
  const queued = new Map<string, boolean>();
  const key = (api: string) => ({ [TABLE_KEYS.pk]: ratePk(api), [TABLE_KEYS.sk]: 'NEXT' });
  const names = { '#next': 'next', '#ttl': TABLE_KEYS.ttl, '#type': 'type' };

  /** Idle: the turn is now. Undefined when calls are queued. */
  const goNow = async (api: string, now: number, signal?: AbortSignal) => {
    const next = now + interval;
    const taken = await unlessConditionFails('takeRateTurn', () =>
      client.update(
        {
          TableName: tableName,
          Key: key(api),
          UpdateExpression: 'SET #next = :next, #ttl = :ttl, #type = :type',
          ConditionExpression: 'attribute_not_exists(#next) OR #next <= :now',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':next': next,
            ':now': now,
            ':ttl': ttlSeconds(next + MINUTE_MS),
            ':type': ITEM_TYPES.rateTurn,
          },
        },
        signal && { signal },
      ),
    );
    return taken ? now : undefined;
  };

  /** Queued: the turn is the current `next`, which moves on. Undefined when it has passed. */
  const queue = async (api: string, now: number, signal?: AbortSignal) => {
    try {
      const { Attributes } = await client.update(
        {
          TableName: tableName,
          Key: key(api),
          UpdateExpression: 'SET #next = #next + :interval, #ttl = :ttl',
          ConditionExpression: '#next > :now',
          ExpressionAttributeNames: { '#next': names['#next'], '#ttl': names['#ttl'] },
          ExpressionAttributeValues: {
            ':interval': interval,
            ':now': now,
            // Far enough for any queue the fleet can build (the TTL only tidies up).
            ':ttl': ttlSeconds(now + 10 * MINUTE_MS),
          },
          ReturnValues: 'UPDATED_OLD',
        },
        signal && { signal },
      );
      return Number(Attributes?.next);
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw toStoreError('takeRateTurn', error);
    }
  };

  return {
    acquire: async (api, signal) => {
      for (;;) {
        signal?.throwIfAborted();
        const now = clock.now();
        const wasQueued = queued.get(api) ?? false;
        const turn = wasQueued ? await queue(api, now, signal) : await goNow(api, now, signal);
        if (turn === undefined) {
          // Guessed wrong (the other case holds now): try that one.
          queued.set(api, !wasQueued);
          continue;
        }
        queued.set(api, turn > now);
        if (turn > now) await sleep(Math.ceil(turn - now), signal);
        return;
      }
    },
    onThrottled: () => undefined,
    onSuccess: () => undefined,
  };
};
