import type { HrEvent } from '../lib/events/schemas.js';
import { MAX_RECEIVE_COUNT, REDELIVERY, recoveryWaitMs } from '../lib/queue/redelivery.js';
import { MISMATCH, type Mismatch } from './compare.js';
import type { ChaosResult } from './harness.js';
import { VERSION_BASE } from './history.js';
import type { ExpectedMember } from './model.js';
import { productionMinutes } from './outage.js';

/** The figures table and, when something went wrong, enough detail to replay and debug it. */

const MAX_DETAILED = 10;

const n = (value: number, digits = 0) => value.toLocaleString('en-US', { maximumFractionDigits: digits });

const table = (rows: readonly (readonly [string, string])[]): string[] => {
  const width = Math.max(...rows.map(([k]) => k.length));
  const valueWidth = Math.max(...rows.map(([, v]) => v.length));
  const rule = `+${'-'.repeat(width + 2)}+${'-'.repeat(valueWidth + 2)}+`;
  return [rule, ...rows.map(([k, v]) => `| ${k.padEnd(width)} | ${v.padStart(valueWidth)} |`), rule];
};

/** "label:" then one indented line per entry, largest first. */
const counted = (label: string, counts: Readonly<Record<string, number>>): string[] => {
  const entries = Object.entries(counts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
  return [
    `${label}:${entries.length === 0 ? ' none' : ''}`,
    ...entries.map(([key, count]) => `  ${key}: ${n(count)}`),
  ];
};

export const figureRows = (result: ChaosResult): [string, string][] => {
  const { figures: f, config } = result;
  const m = f.meeting;
  const byKind = (kinds: readonly string[]) => kinds.map((k) => `${k} ${n(m.faults[k] ?? 0)}`).join(', ');
  const webhookEvents = f.send.events + f.send.resentEvents;
  return [
    ['seed', String(config.seed)],
    ['employees (+ with a foreign account)', `${n(f.employees)} (+${f.poisonEmployees})`],
    ['HR events (unique)', n(f.uniqueEvents)],
    ['events posted (with re-sent duplicates)', n(webhookEvents)],
    ['deliveries / HTTP posts', `${n(f.send.deliveries)} / ${n(f.send.posts)}`],
    ['duplicates: same webhook-id re-posted', n(f.send.reposts)],
    [
      'duplicates: events re-sent in new deliveries',
      `${n(f.send.resentEvents)} in ${n(f.send.resentDeliveries)}`,
    ],
    ['employees sent out of HR order', n(f.reorderedEmployees)],
    [
      'queue: enqueued / deduplicated / done / redriven',
      `${n(f.queue.sent)} / ${n(f.queue.deduplicated)} / ${n(f.queue.deleted)} / ${n(f.queue.movedToDlq)}`,
    ],
    [
      'queue: handed back by the worker / visibility timeouts',
      `${n(f.queue.handedBack)} / ${n(f.queue.visibilityTimeouts)}`,
    ],
    ['worker invocations / records received', `${n(f.worker.invocations)} / ${n(f.worker.records)}`],
    ['records redelivered', n(f.worker.redeliveries)],
    ['worker kills (mid-batch)', `${n(f.worker.kills)} (${n(f.worker.killsMidBatch)})`],
    ['records applied before a kill', n(f.worker.appliedBeforeKill)],
    ['worker failures (audited; see below)', n(Object.values(f.failures).reduce((a, b) => a + b, 0))],
    ['faults: 5xx / 429 / timeouts', byKind(['error', 'throttle', 'slow'])],
    ['faults: resets / token revocations', byKind(['reset', 'revoke'])],
    ['Meeting API calls / answered', `${n(m.calls)} / ${n(m.answered)}`],
    ['client retries (calls - answered)', n(m.failed)],
    ['Meeting API calls per event', n(m.calls / Math.max(1, f.uniqueEvents), 3)],
    ['auth: tokens issued / login attempts', `${n(m.tokensIssued)} / ${n(m.authAttempts)}`],
    [
      'DLQ messages (deliberate)',
      `${n(f.deadLetters)} (${n(result.history.poison.reduce((s, p) => s + p.events.length, 0))})`,
    ],
    ['late writes put back by the cleanup run', n(f.reconciled)],
    ...outageRows(result),
    ['mismatches', n(result.mismatches.length)],
    ['employees with a mismatch', n(new Set(result.mismatches.flatMap((m) => m.employeeId ?? [])).size)],
    [
      'time: send / drain / total (s)',
      [f.durationMs.send, f.durationMs.drain, f.durationMs.total].map((ms) => n(ms / 1000, 1)).join(' / '),
    ],
  ];
};

/** The outage drill's rows: real seconds, and what they stand for in production minutes. */
const outageRows = ({ figures: { outage: o }, config }: ChaosResult): [string, string][] => {
  if (!o || !config.outage) return [];
  const both = (ms: number) => `${n(ms / 1000, 1)} s = ${n(productionMinutes(config.outage!, ms), 1)} min`;
  return [
    ['outage (5xx, then connection refused)', `${both(o.realMs)} (1:${config.outage.timeScale})`],
    ['outage: Meeting requests that got an answer (5xx)', n(o.callsDuringOutage)],
    ['outage: messages handed back with a delay', n(o.handedBack)],
    [`outage: most receives of one message (budget ${MAX_RECEIVE_COUNT})`, n(o.maxReceiveCount)],
    [
      `after the outage: last message tried again (bound ${n(recoveryWaitMs(REDELIVERY) / 60_000, 1)} min)`,
      both(o.backOnWorkerMs),
    ],
    [`after the outage: converged (goal ${config.outage.convergeWithinMinutes} min)`, both(o.convergedMs)],
  ];
};

const showMember = (m: ExpectedMember | undefined) =>
  m
    ? `${m.enabled ? 'enabled' : 'disabled'}${m.admin ? ' admin' : ''} ${m.profile.deptCode} "${m.profile.title ?? ''}" "${m.profile.name}"`
    : 'absent';

const showEvent = (e: HrEvent) =>
  `v+${(e.version - VERSION_BASE) / 1000} ${e.type} (${e.id}: ${e.member.deptCode} "${e.member.title ?? ''}" "${e.member.name}")`;

const detail = (result: ChaosResult, mismatch: Mismatch): string[] => {
  const lines = [
    `- ${mismatch.kind}${mismatch.employeeId ? ` ${mismatch.employeeId}` : ''}: ${mismatch.detail}`,
  ];
  if (!mismatch.employeeId) return lines;
  const history = [...result.history.employees, ...result.history.poison].find(
    (h) => h.employeeId === mismatch.employeeId,
  );
  if (mismatch.expected || mismatch.actual) {
    lines.push(
      `    expected: ${showMember(mismatch.expected)}`,
      `    actual:   ${showMember(mismatch.actual)}`,
    );
  }
  if (history) {
    const arrival = result.plan.reordered.get(history.employeeId);
    lines.push(`    HR history${arrival ? ' (sent out of order, arrival order below)' : ''}:`);
    for (const e of arrival ?? history.events) lines.push(`      ${showEvent(e)}`);
  }
  return lines;
};

export const formatReport = (result: ChaosResult): string[] => {
  const lines = [
    ...table(figureRows(result)),
    ...counted('Webhook answers', result.figures.send.answers),
    ...counted('Worker failures by reason', result.figures.failures),
  ];
  if (result.mismatches.length === 0)
    return [...lines, 'No mismatches: Meeting converged to the HR history.'];
  const counts = new Map<string, number>();
  for (const m of result.mismatches) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  lines.push('', 'Mismatches by kind:');
  for (const kind of Object.values(MISMATCH))
    if (counts.has(kind)) lines.push(`  ${kind}: ${counts.get(kind)}`);
  lines.push(
    '',
    `First ${Math.min(MAX_DETAILED, result.mismatches.length)} (replay with CHAOS_SEED=${result.config.seed} CHAOS_EVENTS=${result.config.events} CHAOS_EMPLOYEES=${result.config.employees}):`,
  );
  for (const m of result.mismatches.slice(0, MAX_DETAILED)) lines.push(...detail(result, m));
  return lines;
};
