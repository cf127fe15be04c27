import type { SQSEvent } from 'aws-lambda';
import { REDELIVERY, type RedeliveryPolicy, scaleRedelivery } from '../lib/queue/redelivery.js';
import { sleep } from '../lib/shared/clock.js';
import { type MeetingSimulator, SIMULATOR_API_NAMES } from '../simulator/index.js';
import type { OutageConfig } from './config.js';

/**
 * The outage drill (CHAOS_OUTAGE=1): Meeting down while the history arrives, every call answered
 * 5xx for the first half and refused for the second (the simulator stops listening), then back.
 * The worker runs with the deployed redelivery policy divided by the time scale; real
 * milliseconds times the scale are production milliseconds.
 */

export interface OutageFigures {
  /** Outage length, real time. */
  readonly realMs: number;
  /** Meeting requests that reached the simulator during the outage (the 5xx half; the rest were refused). */
  readonly callsDuringOutage: number;
  /** Messages the worker handed back with a delay during the outage. */
  readonly handedBack: number;
  /** Highest receive count any message reached (the queue's budget is MAX_RECEIVE_COUNT). */
  readonly maxReceiveCount: number;
  /** Real ms after Meeting was back until the last message waiting since the outage was received again. */
  readonly backOnWorkerMs: number;
  /** Real ms after Meeting was back until the queue was drained. */
  readonly convergedMs: number;
}

export const outageRedelivery = (outage: OutageConfig): RedeliveryPolicy =>
  scaleRedelivery(REDELIVERY, 1 / outage.timeScale);

/** Production time of `realMs` real milliseconds, in minutes. */
export const productionMinutes = (outage: OutageConfig, realMs: number) =>
  (realMs * outage.timeScale) / 60_000;

/** Sees every batch the worker is given: the highest receive count, first receives after a moment. */
export const createReceiveWatch = () => {
  let maxReceiveCount = 0;
  let since: number | undefined;
  const firstAfter = new Map<string, number>();
  return {
    beforeInvoke: (event: SQSEvent) => {
      const now = Date.now();
      for (const record of event.Records) {
        maxReceiveCount = Math.max(maxReceiveCount, Number(record.attributes.ApproximateReceiveCount));
        if (since !== undefined && !firstAfter.has(record.messageId)) firstAfter.set(record.messageId, now);
      }
    },
    /** From now on, note when each message is first received. */
    watchFrom: (at: number) => {
      since = at;
    },
    maxReceiveCount: () => maxReceiveCount,
    /** When the last message was first received after `watchFrom` (or `since` if none was). */
    lastFirstReceive: () => Math.max(since ?? 0, ...firstAfter.values()),
  };
};

/**
 * Starts the outage at once; `end()` waits out the rest of it (5xx for the first half, refused
 * connections for the second) and brings Meeting back.
 */
export const startOutage = (sim: MeetingSimulator, outage: OutageConfig) => {
  const realMs = (outage.minutes * 60_000) / outage.timeScale;
  const started = Date.now();
  const callsBefore = sim.counters();
  const callsOf = (c: ReturnType<MeetingSimulator['counters']>) => c.businessCalls + c.authAttempts;
  // Every API, logins included: nothing of Meeting answers.
  sim.setFaults({ errorRate: 1, apis: [...SIMULATOR_API_NAMES] });
  return {
    realMs,
    end: async () => {
      await sleep(Math.max(0, started + realMs / 2 - Date.now()));
      sim.setFaults(undefined);
      const callsDuringOutage = callsOf(sim.counters()) - callsOf(callsBefore);
      await sim.setOffline(true);
      await sleep(Math.max(0, started + realMs - Date.now()));
      await sim.setOffline(false);
      return { callsDuringOutage };
    },
  };
};
