import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import type { Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import type { SimulatorOptions } from '../../simulator/index.js';
import { type LifecycleEnv, startLifecycleEnv } from '../helpers/lifecycle-env.js';

/**
 * Cleanup decides "already gone" from a listing. A listing page may leave members out (a server
 * that caps or drops entries): such a member must never be taken for gone.
 */

const DAY = 24 * 3600 * 1000;
const events = createHrEventFactory({ idPrefix: 'listing' });
let env: LifecycleEnv | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = undefined;
  await env?.close();
  env = undefined;
});

/** A pass-through to the simulator whose member listings leave out `hidden` HR ids. */
const startDroppingProxy = async (target: () => string, hidden: ReadonlySet<string>) => {
  proxy = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(`${target()}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && k !== 'host'),
      ) as Record<string, string>,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    let text = await upstream.text();
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/v1/usg/dcs/corp/member') {
      const page = JSON.parse(text) as { data: { thirdAccount: string | null }[] };
      page.data = page.data.filter((m) => !hidden.has(m.thirdAccount ?? ''));
      text = JSON.stringify(page);
    }
    res.writeHead(upstream.status, {
      'Content-Type': 'application/json',
      'X-Request-Id': upstream.headers.get('x-request-id') ?? '',
    });
    res.end(text);
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
};

const setUp = async (options: { env?: Record<string, string>; simulator?: SimulatorOptions }) => {
  env = await startLifecycleEnv(options);
  let now = Date.parse('2026-01-01T00:00:00Z');
  const lifecycle: Lifecycle = env.with(
    {
      retentionDays: 30,
      dryRun: false,
      maxDeletes: 1000,
      maxDeletePercent: 100,
      breakerMaxCount: 100_000,
      breakerMaxPercent: 100,
    },
    { clock: { now: () => now } },
  );
  const run = async (type: (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES], id: string, n: number) => {
    await lifecycle.applyEvent(events(type, id, sampleMember(id, n)));
    await lifecycle.flushPendingDisables();
  };
  return { lifecycle, run, later: (ms: number) => (now += ms) };
};

describe('cleanup and listings that leave members out', () => {
  it('a leaver missing from the listing but still in Meeting is not taken for gone', async () => {
    let simulatorUrl = '';
    const url = await startDroppingProxy(() => simulatorUrl, new Set(['L1']));
    const { lifecycle, run, later } = await setUp({ env: { MEETING_ENDPOINT: url } });
    simulatorUrl = env!.simulator.url;
    for (const [n, id] of ['L1', 'L2'].entries()) {
      await run(EVENT_TYPES.hired, id, n + 1);
      await run(EVENT_TYPES.terminated, id, n + 1);
    }
    later(31 * DAY);
    const report = await lifecycle.runCleanup();
    expect(report.alreadyGone).toEqual([]);
    expect(report.deleted).toEqual(['L2']);
    expect(report.skipped).toEqual([
      { employeeId: 'L1', reason: 'missing from the listing, still in Meeting' },
    ]);
    expect((await lifecycle.context.store.getEmployee('L1'))?.status).toBe('disabled');
    expect(env!.simulator.members().some((m) => m.thirdAccount === 'L1')).toBe(true);
  });

  it('a member really gone is still recognised as gone', async () => {
    const { lifecycle, run, later } = await setUp({});
    await run(EVENT_TYPES.hired, 'G1', 1);
    await run(EVENT_TYPES.terminated, 'G1', 1);
    await lifecycle.context.meeting.deleteMembers(['G1']);
    later(31 * DAY);
    const report = await lifecycle.runCleanup();
    expect(report.alreadyGone).toEqual(['G1']);
    expect((await lifecycle.context.store.getEmployee('G1'))?.status).toBe('deleted');
  });

  it('against a server capping pages at 10, 30 leavers are all deleted and none taken for gone', async () => {
    const { lifecycle, run, later } = await setUp({
      simulator: { pageSizeCap: 10, pageLimitEcho: 'requested' },
    });
    const ids = Array.from({ length: 30 }, (_, i) => `P${i}`);
    for (const [n, id] of ids.entries()) await run(EVENT_TYPES.hired, id, n + 1);
    for (const [n, id] of ids.entries()) await run(EVENT_TYPES.terminated, id, n + 1);
    later(31 * DAY);
    const report = await lifecycle.runCleanup();
    expect(report.alreadyGone).toEqual([]);
    expect([...report.deleted].sort()).toEqual([...ids].sort());
    expect(env!.simulator.members()).toHaveLength(1);
  });
});
