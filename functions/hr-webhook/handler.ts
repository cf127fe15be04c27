import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { DeliveryRequest, DeliveryResponse } from '../../lib/webhook/receive-delivery.js';
import { lazy } from '../shared/lazy.js';
import { logger } from '../shared/observability.js';
import { createWebhookRuntime } from '../shared/webhook-runtime.js';

type Receiver = (request: DeliveryRequest) => Promise<DeliveryResponse>;

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const lowerCaseHeaders = (headers: APIGatewayProxyEventV2['headers'] = {}) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/** HTTP adapter: raw body + headers in, the receiver's answer out. No logic of its own. */
export const createHrWebhookHandler = (getReceiver: () => Promise<Receiver>) =>
  middy(
    async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      const receiver = await getReceiver();
      // The signature covers the raw bytes: never decode them before verification.
      const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? '');
      const response = await receiver({
        headers: lowerCaseHeaders(event.headers),
        rawBody,
        invocation: context,
      });
      return json(response.status, response.body);
    },
  )
    .use(injectLambdaContext(logger, { correlationIdPath: 'requestContext.requestId' }))
    .onError((request) => {
      // Only our own failures reach here (bad input is a 4xx above): 500 lets the sender retry.
      logger.error('webhook failed', { error: request.error });
      request.response = json(500, {
        error: { code: 'internal_error', message: 'temporary failure; retry later' },
      });
    });

export const handler = createHrWebhookHandler(lazy(() => createWebhookRuntime(process.env, logger)));
