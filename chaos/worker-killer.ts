import type { SQSEvent } from 'aws-lambda';
import { createWorkerHandler } from '../functions/lifecycle-worker/handler.js';
import type { QueueWorker } from '../lib/lifecycle/queue-worker.js';
import { createLambdaContext } from '../local/lambda-context.js';
import { createPrng, deriveSeed } from './prng.js';

/**
 * The stack's beforeWorkerInvoke hook, killing invocations at a seeded rate. Half the kills come
 * before any work; the other half first let the real worker apply the start of the batch and
 * then die before acknowledging it, so SQS hands the whole batch out again, part of it already
 * applied. It also counts what the worker was given, redeliveries included.
 */

export class WorkerKilledError extends Error {
  override readonly name = 'WorkerKilledError';
}

export interface KillStats {
  invocations: number;
  records: number;
  /** Records received more than once (after a failure, a kill or an expired visibility timeout). */
  redeliveries: number;
  kills: number;
  killsMidBatch: number;
  /** Records the killed invocations had already applied. */
  appliedBeforeKill: number;
}

export const createWorkerKiller = (options: {
  seed: number;
  rate: number;
  /** The stack's queue worker, so the work before a kill is the real worker's. */
  getWorker: () => Promise<QueueWorker>;
}) => {
  const prng = createPrng(deriveSeed(options.seed, 'kills'));
  const stats: KillStats = {
    invocations: 0,
    records: 0,
    redeliveries: 0,
    kills: 0,
    killsMidBatch: 0,
    appliedBeforeKill: 0,
  };

  const beforeInvoke = async (event: SQSEvent): Promise<void> => {
    stats.invocations++;
    stats.records += event.Records.length;
    stats.redeliveries += event.Records.filter(
      (r) => Number(r.attributes.ApproximateReceiveCount) > 1,
    ).length;
    if (!prng.chance(options.rate)) return;
    stats.kills++;
    const midBatch = event.Records.length > 1 && prng.chance(0.5);
    if (midBatch) {
      const done = 1 + prng.int(event.Records.length - 1);
      stats.killsMidBatch++;
      stats.appliedBeforeKill += done;
      // A fresh instance of the real worker per kill: Powertools' batch processor keeps per-batch
      // state on the instance, so one instance must never serve two invocations at once.
      const worker = createWorkerHandler(options.getWorker);
      await worker({ Records: event.Records.slice(0, done) }, createLambdaContext('lifecycle-worker'));
    }
    throw new WorkerKilledError(
      midBatch ? 'chaos: worker killed mid-batch' : 'chaos: worker killed at start',
    );
  };
  return { beforeInvoke, stats: (): KillStats => ({ ...stats }) };
};
