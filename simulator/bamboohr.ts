import { createHmac, randomBytes } from 'node:crypto';
import { systemClock } from '../lib/shared/clock.js';
import { credential, type Delivery, deliver, startVendorServer, type VendorAnswer } from './vendor-server.js';

/**
 * A BambooHR simulator for tests and `npm start` (docs/connectors.md "BambooHR"): the employee
 * API the connector reads (`GET /api/v1/employees/{id}`, Basic auth with the API key and "x")
 * and a sender that posts event-based webhooks signed like BambooHR. It never imports
 * lib/connectors: the signature is computed here from BambooHR's description, on its own.
 */

export type BambooHrRecord = Record<string, string | null> & { readonly id: string };

export interface BambooHrSimulatorOptions {
  readonly apiKey?: string;
  readonly privateKey?: string;
  readonly companyId?: string;
  readonly clock?: { now(): number };
}

export interface SendOptions {
  readonly changedFields?: readonly string[];
  /** X-BambooHR-Timestamp (default: now, Unix seconds). */
  readonly timestamp?: string;
  /** Sign with another key (forgery tests). */
  readonly privateKey?: string;
  /** Replace the body after signing (tampering tests). */
  readonly tamper?: (body: string) => string;
  /** Send this body instead of an event-based one (it is signed all the same). */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

const today = (now: number) => new Date(now).toISOString().slice(0, 10);
/** The payload timestamp format of BambooHR's documentation example: +0000 without a colon. */
const payloadTime = (now: number) => `${new Date(now).toISOString().slice(0, 19)}+0000`;

export const startBambooHrSimulator = async (options: BambooHrSimulatorOptions = {}) => {
  const apiKey = options.apiKey ?? randomBytes(20).toString('hex');
  const privateKey = options.privateKey ?? randomBytes(32).toString('hex');
  const companyId = options.companyId ?? '12345';
  const clock = options.clock ?? systemClock;
  const records = new Map<string, BambooHrRecord>();
  const forbidden = new Set<string>();
  const faults: number[] = [];
  const counters = { reads: 0, deliveries: 0 };
  const sent: string[] = [];
  let nextId = 100;
  let webhookUrl: string | undefined;

  const server = await startVendorServer((req, url): VendorAnswer => {
    const match = /^\/api\/v1\/employees\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return { status: 404, body: { error: 'no such route' } };
    counters.reads += 1;
    const fault = faults.shift();
    if (fault !== undefined) return { status: fault, body: undefined, headers: { 'Retry-After': '60' } };
    if (credential(req, 'Basic') !== Buffer.from(`${apiKey}:x`).toString('base64'))
      return { status: 401, body: undefined };
    const id = decodeURIComponent(match[1]!);
    if (forbidden.has(id)) return { status: 403, body: undefined };
    const record = records.get(id);
    if (!record)
      return { status: 404, body: undefined, headers: { 'X-BambooHR-Error-Message': 'Employee not found' } };
    // `id` always; each requested field, null when empty (fields the API does not know are left out).
    const fields = (url.searchParams.get('fields') ?? 'firstName,lastName').split(',').filter(Boolean);
    return { status: 200, body: { id, ...Object.fromEntries(fields.map((f) => [f, record[f] ?? null])) } };
  });

  const sign = (body: string, timestamp: string, key: string) =>
    createHmac('sha256', key)
      .update(body + timestamp)
      .digest('hex');

  /** Posts one event-based webhook for `employeeId`, signed like BambooHR. */
  const send = async (type: string, employeeId: string, send: SendOptions = {}): Promise<Delivery> => {
    if (!webhookUrl) throw new Error('BambooHR simulator: setWebhookUrl first');
    const now = clock.now();
    const body =
      send.rawBody ??
      JSON.stringify({
        type,
        timestamp: payloadTime(now),
        data: { companyId, employeeId, ...(send.changedFields && { changedFields: send.changedFields }) },
      });
    const timestamp = send.timestamp ?? String(Math.floor(now / 1000));
    counters.deliveries += 1;
    sent.push(body);
    return deliver(webhookUrl, send.tamper ? send.tamper(body) : body, {
      'Content-Type': 'application/json',
      'User-Agent': 'BambooHR-WebHooks/1.0 (+https://www.bamboohr.com)',
      'X-BambooHR-Timestamp': timestamp,
      'X-BambooHR-Signature': sign(body, timestamp, send.privateKey ?? privateKey),
      ...send.headers,
    });
  };

  const change = async (id: string, changes: Record<string, string | null>): Promise<Delivery> => {
    const record = records.get(id);
    if (!record) throw new Error(`BambooHR simulator: no employee ${id}`);
    records.set(id, { ...record, ...changes, id });
    return send('employee.updated', id, { changedFields: Object.keys(changes) });
  };

  return {
    url: server.url,
    apiKey,
    privateKey,
    companyId,
    counters: () => ({ ...counters }),
    /** Every body sent so far, as signed (to resend one: `send(type, id, { rawBody })`). */
    sentBodies: () => [...sent],
    setWebhookUrl: (url: string) => {
      webhookUrl = url;
    },
    record: (id: string) => records.get(id),
    /** Adds a record without any webhook (an employee who existed before the connector). */
    put: (record: Omit<BambooHrRecord, 'id'> & { id?: string }) => {
      const id = record.id ?? String(nextId++);
      records.set(id, { ...record, id } as BambooHrRecord);
      return id;
    },
    /** A new hire: BambooHR fires employee.created, then employee.updated once the record is initialised. */
    async hire(fields: Record<string, string>) {
      const id = String(nextId++);
      const now = clock.now();
      records.set(id, {
        id,
        status: 'Active',
        employmentHistoryStatus: 'Full-Time',
        hireDate: today(now),
        ...fields,
      });
      const created = await send('employee.created', id);
      const updated = await send('employee.updated', id, { changedFields: Object.keys(fields) });
      return { id, deliveries: [created, updated] };
    },
    update: change,
    terminate: (id: string) =>
      change(id, {
        status: 'Inactive',
        employmentHistoryStatus: 'Terminated',
        terminationDate: today(clock.now()),
      }),
    rehire: (id: string) =>
      change(id, { status: 'Active', employmentHistoryStatus: 'Full-Time', hireDate: today(clock.now()) }),
    /** Deletes the record (the API answers 404 from now on) and fires employee.deleted. */
    async remove(id: string) {
      records.delete(id);
      return send('employee.deleted', id);
    },
    /** The API key may no longer read this employee (403). */
    forbid: (id: string) => forbidden.add(id),
    /** The next API reads answer these statuses (e.g. 503 throttling). */
    failNextReads: (...statuses: number[]) => faults.push(...statuses),
    send,
    close: server.close,
  };
};
export type BambooHrSimulator = Awaited<ReturnType<typeof startBambooHrSimulator>>;
