import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack.js';
import type { SendOptions } from '../../simulator/bamboohr.js';
import type { Delivery } from '../../simulator/vendor-server.js';
import { type ConnectorStack, expectRefused, startConnectorStack } from './support.js';

let t: ConnectorStack;
const MAX_BODY = 2048;

beforeAll(async () => {
  t = await startConnectorStack({ env: { CONNECTOR_MAX_BODY_BYTES: String(MAX_BODY) } });
});
afterAll(() => t?.close());

const hire = (n: number, extra: Record<string, string> = {}) =>
  t.bamboohr.hire({
    firstName: 'Ada',
    lastName: `Number${n}`,
    workEmail: `ada${n}@corp.example`,
    jobTitle: 'Engineer',
    ...extra,
  });

describe('BambooHR connector over HTTP', () => {
  it('turns employee.created + employee.updated into hire events from the record it reads', async () => {
    const { id, deliveries } = await hire(1);
    expect(deliveries.map((d) => d.status)).toEqual([200, 200]);
    const queued = t.queuedFor(`bamboohr-${id}`);
    expect(queued.map((m) => m.event.type)).toEqual(['employee.hired', 'employee.hired']);
    expect(queued.map((m) => m.deduplicationId)).toEqual(deliveries.map((d) => d.body.eventId));
    expect(queued[0]!.event).toMatchObject({
      employeeId: `bamboohr-${id}`,
      member: { name: 'Ada Number1', email: 'ada1@corp.example', title: 'Engineer' },
    });
    // The version is when the record was read: the later read is newer.
    expect(queued[1]!.event.version as number).toBeGreaterThan(queued[0]!.event.version as number);
  });

  it('answers a redelivery of the same body with the first answer and enqueues nothing', async () => {
    const { id, deliveries } = await hire(2);
    const body = t.bamboohr.sentBodies().at(-1)!;
    const before = t.counts();
    // A retry may come with a fresh timestamp and signature; the body is what names the delivery.
    const again = await t.bamboohr.send('employee.updated', id, { rawBody: body });
    expect(again).toEqual(deliveries[1]);
    expect(t.counts()).toEqual(before);
  });

  it('maps a termination, then a rehire, from the status it reads', async () => {
    const { id } = await hire(3);
    expect((await t.bamboohr.terminate(id)).body.type).toBe('employee.terminated');
    // The worker is off here, so we hold no record of them: active again is a hire (the worker
    // treats hire and rehire alike). test/connectors/lifecycle.test.ts covers a known leaver.
    expect((await t.bamboohr.rehire(id)).body.type).toBe('employee.hired');
  });

  it('turns employee.deleted into a termination without reading anything', async () => {
    const { id } = await hire(4);
    const reads = t.bamboohr.counters().reads;
    const deleted = await t.bamboohr.remove(id);
    expect(deleted.body.type).toBe('employee.terminated');
    expect(t.bamboohr.counters().reads).toBe(reads);
    expect(t.queuedFor(`bamboohr-${id}`).at(-1)!.event.member).toEqual({
      name: `bamboohr-${id}`,
      email: `bamboohr-${id}@removed.invalid`,
    });
  });

  describe('dead-letters what no retry can fix, with its own reasons, and answers 200', () => {
    it.each([
      [
        'record_not_found',
        async () => t.bamboohr.send('employee.updated', '999', { changedFields: ['firstName'] }),
        '999',
      ],
      [
        'access_denied',
        async () => {
          const id = t.bamboohr.put({
            firstName: 'Hidden',
            lastName: 'Person',
            workEmail: 'h@corp.example',
            status: 'Active',
          });
          t.bamboohr.forbid(id);
          return t.bamboohr.send('employee.updated', id, { changedFields: ['firstName'] });
        },
        undefined,
      ],
      [
        'unmappable_record',
        async () => {
          const id = t.bamboohr.put({ firstName: 'No', lastName: 'Email', status: 'Active' });
          return t.bamboohr.send('employee.created', id);
        },
        undefined,
      ],
    ])('%s', async (code, send, fixedId) => {
      const before = t.counts();
      const delivery = await send();
      expect(delivery.status).toBe(200);
      expect(delivery.body).toMatchObject({ accepted: [], deadLettered: code });
      expect(t.counts()).toEqual({ queued: before.queued, deadLettered: before.deadLettered + 1 });
      const letter = t.stack.dlq.messages().at(-1)!;
      expect(letter.attributes.reason).toMatch(new RegExp(`^bamboohr\\.${code}: `));
      expect(letter.attributes.source).toBe('bamboohr');
      if (fixedId) expect(letter.groupId).toBe(`bamboohr-${fixedId}`);
      // Ids and the reason only: no personal data in the DLQ.
      expect(Object.keys(JSON.parse(letter.body))).toEqual([
        'source',
        'eventId',
        'employeeId',
        'vendorType',
        'reason',
      ]);
    });
  });

  it('answers 503 while the API throttles or refuses our key (BambooHR retries), then accepts the retry', async () => {
    const { id } = await hire(5);
    for (const [status, code] of [
      [503, 'vendor_unavailable'],
      [429, 'vendor_unavailable'],
      [401, 'vendor_auth_failed'],
    ] as const) {
      t.bamboohr.failNextReads(status);
      // A notification names changed fields, not values: vary the field so each body is new.
      await expectRefused(t, () => t.bamboohr.update(id, { [`customField${status}`]: 'x' }), 503, code);
      const body = t.bamboohr.sentBodies().at(-1)!;
      const retried = await t.bamboohr.send('employee.updated', id, { rawBody: body });
      expect(retried.status).toBe(200);
      expect(retried.body.accepted).toHaveLength(1);
    }
  });

  describe('refuses hostile input with a 4xx and enqueues nothing', () => {
    const now = () => Math.floor(Date.now() / 1000);
    /** A signed employee.updated for employee 100, changed by `options`. */
    const updated = (options: SendOptions) => () => t.bamboohr.send('employee.updated', '100', options);
    /** The same, its timestamp `offset` seconds from the time the test runs. */
    const stamped = (offset: number) => () =>
      t.bamboohr.send('employee.updated', '100', { timestamp: String(now() + offset) });
    /** `rawBody` signed as it is (the event type and id go only into generated bodies). */
    const raw = (rawBody: string, headers?: Record<string, string>) => () =>
      t.bamboohr.send('', '', { rawBody, ...(headers && { headers }) });
    const unsigned = async (): Promise<Delivery> => {
      const res = await fetch(t.stack.bambooHrUrl, {
        method: 'POST',
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    it.each<[string, () => Promise<Delivery>, number, string]>([
      [
        'a signature made with another key',
        updated({ privateKey: 'not-the-private-key' }),
        401,
        'bad_signature',
      ],
      [
        'a body changed after signing',
        updated({ tamper: (b) => b.replace('"100"', '"101"') }),
        401,
        'bad_signature',
      ],
      ['a replay with a timestamp older than the window (3 h)', stamped(-4 * 3600), 401, 'stale_timestamp'],
      ['a timestamp too far in the future', stamped(4 * 3600), 401, 'stale_timestamp'],
      ['an unreadable timestamp', updated({ timestamp: 'yesterday' }), 400, 'bad_timestamp'],
      ['no signature headers', unsigned, 400, 'missing_headers'],
      [
        'an oversized body, before any signature work',
        raw(`{"pad":"${'x'.repeat(MAX_BODY)}"}`),
        413,
        'body_too_large',
      ],
      [
        'a legacy field-based payload',
        raw(
          '{"employees":[{"action":"Updated","changedFields":["First Name"],"fields":{"First Name":"B"},"id":"100"}]}',
        ),
        422,
        'unsupported_event',
      ],
      ['an unknown event type', () => t.bamboohr.send('company.updated', '100'), 422, 'unsupported_event'],
      [
        'an id that is not an id',
        raw('{"type":"employee.updated","data":{"employeeId":"../1 x"}}'),
        422,
        'invalid_payload',
      ],
      ['signed malformed JSON', raw('{"type":"employee.updated",'), 400, 'malformed_json'],
      [
        'a signed body with a duplicate key (two meanings)',
        raw(
          '{"type":"employee.updated","type":"employee.deleted","timestamp":"2026-01-31T18:42:00+0000","data":{"companyId":"1","employeeId":"100","changedFields":[]}}',
        ),
        400,
        'duplicate_key',
      ],
      [
        'a charset other than UTF-8',
        updated({ headers: { 'Content-Type': 'application/json; charset=utf-16' } }),
        415,
        'unsupported_media_type',
      ],
      [
        'a compressed body (Content-Encoding: gzip)',
        updated({ headers: { 'Content-Encoding': 'gzip' } }),
        415,
        'unsupported_content_encoding',
      ],
      [
        'the form-encoded webhook format',
        raw('type=employee.updated&data[companyId]=12345&data[employeeId]=100', {
          'Content-Type': 'application/x-www-form-urlencoded',
        }),
        415,
        'unsupported_media_type',
      ],
    ])('%s', (_, send, status, code) => expectRefused(t, send, status, code));
  });
});

describe('BambooHR connector, not configured', () => {
  it('answers 404 and reads no secret', async () => {
    const stack = await startLocalStack({ env: {}, startWorker: false });
    try {
      const res = await fetch(stack.bambooHrUrl, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        error: { code: 'not_found', message: 'the BambooHR connector is not enabled on this deployment' },
      });
      expect(stack.queue.stats().sent).toBe(0);
    } finally {
      await stack.stop();
    }
  });
});
