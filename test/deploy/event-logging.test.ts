import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { createHrWebhookHandler } from '../../functions/hr-webhook/handler.js';
import { logger } from '../../functions/shared/observability.js';
import { captureOutput } from '../helpers/log-capture.js';
import { root } from './package.js';

// What an operator might set in the console: Powertools then logs every event it is not told not to.
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
  vi.stubEnv('POWERTOOLS_LOGGER_LOG_EVENT', 'true');
});
afterAll(() => vi.unstubAllEnvs());

const BODY_MARKER = 'ada-lovelace-personal-data';
const SIGNATURE = 'v1,c2lnbmF0dXJlLW5ldmVyLWxvZ2dlZA==';
const request = {
  version: '2.0',
  routeKey: 'POST /hr/events',
  rawPath: '/hr/events',
  rawQueryString: '',
  headers: { 'content-type': 'application/json', 'webhook-signature': SIGNATURE },
  requestContext: { requestId: 'req-1', http: { method: 'POST', path: '/hr/events' } },
  body: JSON.stringify({ member: { name: BODY_MARKER } }),
  isBase64Encoded: false,
} as unknown as APIGatewayProxyEventV2;
const context = {
  functionName: 'hrWebhook',
  awsRequestId: 'aws-req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

describe('the functions never log their event', () => {
  it('the webhook logs neither the body nor the signature, even with POWERTOOLS_LOGGER_LOG_EVENT=true', async () => {
    const handler = createHrWebhookHandler(async () => async () => {
      logger.info('delivery handled');
      return { status: 202, body: { accepted: [] } };
    });
    const output = captureOutput();
    try {
      expect((await handler(request, context)).statusCode).toBe(202);
    } finally {
      output.stop();
    }
    // The logger did print (so silence is not why nothing leaked)...
    expect(output.jsonLines().map((l) => l.message)).toContain('delivery handled');
    // ...and with the same setting, Powertools does log an event when not told otherwise.
    expect(logger.shouldLogEvent()).toBe(true);
    expect(output.text()).not.toContain(BODY_MARKER);
    expect(output.text()).not.toContain(SIGNATURE);
  });

  it('every function that injects the Lambda context turns event logging off', () => {
    const sources = readdirSync(join(root, 'functions'), { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => [f, readFileSync(join(root, 'functions', f), 'utf8')] as const);
    const calls = sources.flatMap(([file, text]) =>
      [...text.matchAll(/\.use\(injectLambdaContext\(([^)]*)\)\)/g)].map((m) => [file, m[1]!] as const),
    );
    expect(calls.length).toBeGreaterThanOrEqual(3);
    const logging = calls.filter(([, args]) => !args.includes('logEvent: false'));
    expect(logging.map(([file]) => file)).toEqual([]);
  });
});
