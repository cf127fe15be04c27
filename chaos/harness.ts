import type { QueueWorker } from '../lib/lifecycle/queue-worker.js';
import type { LifecycleContext } from '../lib/lifecycle/types.js';
import { sleep } from '../lib/shared/clock.js';
import { silentLog } from '../lib/shared/log.js';
import { startLocalStack } from '../local/stack.js';
import { DEMO_CREDENTIALS, type MeetingSimulator } from '../simulator/index.js';
import { type ActualState, compareState, type MemberView, MISMATCH, type Mismatch } from './compare.js';
import type { ChaosConfig } from './config.js';
import { failureReasons } from './failure-audit.js';
import { CHAOS_DEPARTMENTS, generateHistory, type History } from './history.js';
import {
  createReceiveWatch,
  type OutageFigures,
  outageRedelivery,
  productionMinutes,
  startOutage,
} from './outage.js';
import { planSending, type SendPlan } from './plan.js';
import { deriveSeed } from './prng.js';
import { type SendStats, sendPlan } from './sender.js';
import { createWorkerKiller, type KillStats } from './worker-killer.js';

/**
 * One chaos run: the whole system (local/stack.ts: webhook host → FIFO queue → worker →
 * simulator, dynalite) fed a seeded HR history through signed webhooks while the simulator
 * injects faults and the harness duplicates, reorders and kills; then the final Meeting state
 * and the DLQ are compared with the model.
 */

export interface MeetingFigures {
  /** Business calls received by the simulator, faulted ones included. */
  readonly calls: number;
  readonly callsByApi: Readonly<Record<string, number>>;
  /** Injected by kind: error, throttle, slow, reset, revoke, rateLimited. */
  readonly faults: Readonly<Record<string, number>>;
  /** Calls that failed from the client's side (every injected fault; a slow answer came after the timeout). */
  readonly failed: number;
  /** Answered in time: calls − failed. Each failed call was retried or failed its event. */
  readonly answered: number;
  readonly tokensIssued: number;
  readonly authAttempts: number;
}

export interface ChaosFigures {
  readonly employees: number;
  readonly poisonEmployees: number;
  readonly uniqueEvents: number;
  readonly reorderedEmployees: number;
  readonly send: SendStats;
  readonly queue: {
    sent: number;
    deduplicated: number;
    deleted: number;
    movedToDlq: number;
    /** Batches returned only because a visibility timeout ran out (kills, nothing handed back). */
    visibilityTimeouts: number;
    /** Messages the worker handed back with its own delay. */
    handedBack: number;
  };
  readonly worker: KillStats;
  /** Failed and dead-lettered records by reason, from the worker's audit entries. */
  readonly failures: Readonly<Record<string, number>>;
  readonly meeting: MeetingFigures;
  readonly deadLetters: number;
  /** Members the post-drain cleanup run put back (late writes). */
  readonly reconciled: number;
  readonly durationMs: { send: number; drain: number; total: number };
  /** The outage drill's figures (CHAOS_OUTAGE=1). */
  readonly outage?: OutageFigures;
}

export interface ChaosResult {
  readonly config: ChaosConfig;
  readonly history: History;
  readonly plan: SendPlan;
  readonly figures: ChaosFigures;
  readonly mismatches: readonly Mismatch[];
}

/** Settings as deployed, except what makes a chaos run short and keeps the breaker out of the way. */
export const chaosStackEnv = (config: ChaosConfig): Record<string, string> => ({
  RETENTION_DAYS: '30', // nobody is deleted during the run
  MEETING_TIMEOUT_MS: String(config.meetingTimeoutMs),
  DISABLE_LINGER_MS: String(config.disableLingerMs),
  // Mass offboarding is the point here, not a reason to stage: thresholds out of reach. The
  // percentage rule only applies above the guard's minimum count, so that goes up as well.
  OFFBOARD_BREAKER_MAX_COUNT: '1000000000',
  OFFBOARD_BREAKER_MAX_PERCENT: '100',
  CLEANUP_GUARD_MIN_COUNT: '1000000000',
});

const FAULT_KINDS = ['error', 'throttle', 'slow', 'reset', 'revoke', 'rateLimited'] as const;

const meetingFigures = (sim: MeetingSimulator): MeetingFigures => {
  const c = sim.counters();
  const failed = FAULT_KINDS.reduce((sum, kind) => sum + (c.faults[kind] ?? 0), 0);
  return {
    calls: c.businessCalls,
    callsByApi: Object.fromEntries(Object.entries(c.calls).filter(([, n]) => n > 0)),
    faults: c.faults,
    failed,
    answered: c.businessCalls - failed,
    tokensIssued: c.auth,
    authAttempts: c.authAttempts,
  };
};

/** Departments the history uses, and the members of other HR ids the poison events collide with. */
const prepare = async (deps: LifecycleContext, sim: MeetingSimulator, history: History) => {
  for (const dept of CHAOS_DEPARTMENTS) await deps.meeting.ensureDepartment(dept);
  for (const poison of history.poison) {
    await deps.meeting.createMember({
      name: poison.foreign.name,
      account: poison.employeeId,
      thirdAccount: poison.foreign.thirdAccount,
      email: poison.foreign.email,
    });
  }
  const foreign = new Set(history.poison.map((p) => p.foreign.thirdAccount));
  return new Map(
    sim.members().flatMap((m) => (foreign.has(String(m.thirdAccount)) ? [[String(m.thirdAccount), m]] : [])),
  );
};

/** After the drain nothing may wait: no coalesced disable pending, no breaker holding actions back. */
const settledChecks = async (deps: LifecycleContext): Promise<Mismatch[]> => {
  const out: Mismatch[] = [];
  const pending = (await deps.offboarding.listPendingDisables(100)) ?? [];
  for (const p of pending) {
    out.push({
      kind: MISMATCH.pendingAfterDrain,
      employeeId: p.employeeId,
      detail: `disable for ${p.eventId} still pending`,
    });
  }
  const breaker = await deps.offboarding.getBreaker();
  if (breaker) out.push({ kind: MISMATCH.breakerOpened, detail: `${breaker.stageId}: ${breaker.reason}` });
  return out;
};

export interface RunOptions {
  /** Progress lines while the run goes (the report comes separately). */
  readonly progress?: (line: string) => void;
}

export const runChaos = async (config: ChaosConfig, options: RunOptions = {}): Promise<ChaosResult> => {
  const progress = options.progress ?? (() => undefined);
  const started = Date.now();
  const history = generateHistory(config);
  const plan = planSending(history, config);
  let getWorker: () => Promise<QueueWorker> = () => Promise.reject(new Error('stack not started'));
  const killer = createWorkerKiller({
    seed: config.seed,
    rate: config.killRate,
    getWorker: () => getWorker(),
  });

  const watch = createReceiveWatch();
  const stack = await startLocalStack({
    env: chaosStackEnv(config),
    visibilityTimeoutMs: config.visibilityTimeoutMs,
    workerTimeoutMs: config.workerTimeoutMs,
    workerConcurrency: config.workerConcurrency,
    beforeWorkerInvoke: async (event) => {
      watch.beforeInvoke(event);
      await killer.beforeInvoke(event);
    },
    // The deployed delays, shortened like the outage (the usual run: as npm start has them).
    ...(config.outage && { redelivery: outageRedelivery(config.outage) }),
    log: silentLog,
  });
  getWorker = stack.getWorker;
  try {
    const sim = stack.simulator;
    if (!sim) throw new Error('chaos runs need the embedded simulator');
    const foreignBefore = await prepare((await stack.getLifecycle()).context, sim, history);
    sim.resetCounters();
    const randomFaults = { seed: deriveSeed(config.seed, 'faults'), ...config.faults };
    const outage = config.outage && startOutage(sim, config.outage);
    if (!outage) sim.setFaults(randomFaults);
    progress(
      `sending ${history.events.length} events for ${history.employees.length + history.poison.length} employees in ${plan.deliveries.length} deliveries${outage ? ` while Meeting is down (${config.outage!.minutes} min at 1:${config.outage!.timeScale}: ${(outage.realMs / 1000).toFixed(0)} s)` : ''}`,
    );

    const sendStarted = Date.now();
    const send = await sendPlan(plan, {
      url: stack.webhookUrl,
      secret: stack.webhookSecrets.split(' ')[0]!,
      senders: config.senders,
    });
    let reconciled = 0;
    let outageFigures: Omit<OutageFigures, 'convergedMs'> | undefined;
    if (outage) {
      progress(
        `sent in ${((Date.now() - sendStarted) / 1000).toFixed(1)} s; waiting for Meeting to come back`,
      );
      const handedBefore = stack.queue.stats().handedBack;
      const { callsDuringOutage } = await outage.end();
      const recoveredAt = Date.now();
      watch.watchFrom(recoveredAt);
      sim.setFaults(randomFaults);
      outageFigures = {
        realMs: outage.realMs,
        callsDuringOutage,
        handedBack: stack.queue.stats().handedBack - handedBefore,
        maxReceiveCount: 0,
        backOnWorkerMs: 0,
      };
    }
    const drainStarted = Date.now();
    progress(
      outage
        ? 'Meeting is back; draining the queue'
        : `sent in ${((drainStarted - sendStarted) / 1000).toFixed(1)} s; draining the queue`,
    );
    const runMismatches: Mismatch[] = send.failed.map((f) => ({
      kind: MISMATCH.deliveryFailed,
      detail: `delivery ${f.index} never accepted (last answer ${f.status})`,
    }));
    try {
      await stack.drain(config.drainTimeoutMs);
    } catch (error) {
      runMismatches.push({
        kind: MISMATCH.notDrained,
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    const drainMs = Date.now() - drainStarted;
    const outageResult: OutageFigures | undefined = outageFigures && {
      ...outageFigures,
      maxReceiveCount: watch.maxReceiveCount(),
      backOnWorkerMs: Math.max(0, watch.lastFirstReceive() - drainStarted),
      convergedMs: drainMs,
    };
    if (config.outage && outageResult) {
      const minutes = productionMinutes(config.outage, outageResult.convergedMs);
      if (minutes > config.outage.convergeWithinMinutes) {
        runMismatches.push({
          kind: MISMATCH.slowRecovery,
          detail: `converged ${minutes.toFixed(1)} min after Meeting was back (goal ${config.outage.convergeWithinMinutes} min)`,
        });
      }
    }
    runMismatches.push(...(await settledChecks((await stack.getLifecycle()).context)));
    // Calls the client gave up on are still answered late by the simulator: let them land first.
    await sleep((config.faults.slowMs ?? 0) + 250);
    sim.setFaults(undefined);
    // One scheduled cleanup run, as in production within 15 minutes: it reconciles what late
    // writes changed after newer events (retention is 30 days, so it deletes nobody here).
    progress(`drained in ${(drainMs / 1000).toFixed(1)} s; one scheduled cleanup run (reconciliation)`);
    const cleanup = await stack.runCleanup();
    const r = cleanup.cleanup.reconciled;
    reconciled = r ? r.corrected.length + r.adminRevoked.length + r.adminGranted.length : 0;
    progress(`reconciled ${reconciled} member(s); comparing`);

    const actual: ActualState = {
      members: sim.members() as MemberView[],
      deadLetters: stack.dlq.messages(),
      foreignBefore,
      ownerAccount: DEMO_CREDENTIALS.account,
    };
    const { sent, deduplicated, deleted, movedToDlq, visibilityTimeouts, handedBack } = stack.queue.stats();
    const figures: ChaosFigures = {
      reconciled,
      employees: history.employees.length,
      poisonEmployees: history.poison.length,
      uniqueEvents: history.events.length,
      reorderedEmployees: plan.reordered.size,
      send,
      queue: { sent, deduplicated, deleted, movedToDlq, visibilityTimeouts, handedBack },
      worker: killer.stats(),
      failures: await failureReasons(stack.dynamo.doc, stack.dynamo.tableName),
      meeting: meetingFigures(sim),
      deadLetters: actual.deadLetters.length,
      durationMs: { send: drainStarted - sendStarted, drain: drainMs, total: Date.now() - started },
      ...(outageResult && { outage: outageResult }),
    };
    return {
      config,
      history,
      plan,
      figures,
      mismatches: [...runMismatches, ...compareState(history, actual)],
    };
  } finally {
    await stack.stop();
  }
};
