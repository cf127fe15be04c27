import { createHash } from 'node:crypto';
import {
  APIGatewayProxyEventV2Schema,
  EventBridgeSchema,
  SqsSchema,
} from '@aws-lambda-powertools/parser/schemas';
import { describe, expect, it } from 'vitest';
import { parseDelivery } from '../../lib/events/parse-delivery.js';
import { EVENT_TYPES, hrEventSchema } from '../../lib/events/schemas.js';
import { listJson, readJson } from './fixtures.js';

const parsed = (file: string) => {
  const result = parseDelivery(readJson('hr', file));
  if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.errors)}`);
  return result.events;
};

describe('HR event samples (events/hr)', () => {
  it('has one valid, realistic sample per event type', () => {
    for (const type of Object.values(EVENT_TYPES)) {
      const [event, ...rest] = parsed(`${type}.json`);
      expect(rest).toEqual([]);
      expect(event?.type).toBe(type);
      expect(event?.member).toMatchObject({
        country: 'chinaPR',
        phone: expect.stringMatching(/^\+86\d{11}$/),
      });
      expect(event?.member.email).toMatch(/@example\.com$/);
      expect(event?.member.deptCode).toBeTruthy();
    }
  });

  it('has a CloudEvents hire and a mixed batch with unique ids', () => {
    expect(readJson('hr', 'cloudevent-hired.json')).toMatchObject({
      specversion: '1.0',
      type: EVENT_TYPES.hired,
    });
    expect(parsed('cloudevent-hired.json')[0]?.occurredAt).toBe('2026-01-05T10:15:00+08:00');
    const raw = readJson('hr', 'batch.json') as Record<string, unknown>[];
    expect(raw.some((item) => 'specversion' in item) && raw.some((item) => !('specversion' in item))).toBe(
      true,
    );
    expect(parsed('batch.json')).toHaveLength(raw.length);
  });

  it('has no stray files', () => {
    const expected = [
      ...Object.values(EVENT_TYPES).map((t) => `${t}.json`),
      'batch.json',
      'cloudevent-hired.json',
    ];
    expect(listJson('hr')).toEqual(expected.sort());
  });
});

describe('trigger samples (events/triggers)', () => {
  it('api-gateway-http.json is an HTTP API v2 POST /hr/events carrying the hire sample', () => {
    const event = APIGatewayProxyEventV2Schema.parse(readJson('triggers', 'api-gateway-http.json'));
    expect(event.routeKey).toBe('POST /hr/events');
    expect(event.requestContext.http.method).toBe('POST');
    expect(event.isBase64Encoded).toBe(false);
    expect(JSON.parse(event.body!)).toEqual(readJson('hr', 'employee.hired.json'));
    expect(event.headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(event.body!)),
      'webhook-id': expect.any(String),
      'webhook-timestamp': expect.any(String),
      'webhook-signature': expect.stringMatching(/^v1,/),
    });
  });

  it('sqs-fifo-batch.json holds normalised events keyed by employee and event id', () => {
    const { Records } = SqsSchema.parse(readJson('triggers', 'sqs-fifo-batch.json'));
    expect(Records.length).toBeGreaterThanOrEqual(2);
    expect(Records.length).toBeLessThanOrEqual(3);
    for (const record of Records) {
      const event = hrEventSchema.parse(JSON.parse(record.body));
      expect(record.eventSourceARN).toMatch(/\.fifo$/);
      expect(record.attributes).toMatchObject({
        MessageGroupId: event.employeeId,
        MessageDeduplicationId: event.id,
        ApproximateReceiveCount: expect.stringMatching(/^\d+$/),
        SequenceNumber: expect.stringMatching(/^\d+$/),
      });
      expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
    }
    // Within one message group the sequence numbers rise (FIFO order).
    const sequences = Records.filter(
      (r) => r.attributes.MessageGroupId === Records[0]?.attributes.MessageGroupId,
    );
    const numbers = sequences.map((r) => BigInt(r.attributes.SequenceNumber!));
    expect(numbers).toEqual([...numbers].sort((a, b) => (a < b ? -1 : 1)));
  });

  it('schedule.json is an EventBridge Scheduled Event', () => {
    const event = EventBridgeSchema.parse(readJson('triggers', 'schedule.json'));
    expect(event).toMatchObject({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} });
    expect(event.resources[0]).toMatch(/^arn:aws:events:[^:]+:\d{12}:rule\//);
  });
});
