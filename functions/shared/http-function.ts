import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

/** A transport-neutral receiver: raw body + lower-case headers in, status + JSON body out. */
export type HttpReceiver = (request: {
  headers: Record<string, string | undefined>;
  rawBody: string | Uint8Array;
  invocation: Context;
}) => Promise<{ status: number; body: Record<string, unknown> }>;

const json = (statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 => ({
  statusCode,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const lowerCaseHeaders = (headers: APIGatewayProxyEventV2['headers'] = {}) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

/**
 * HTTP API (payload 2.0) adapter for a receiver: the raw bytes are passed on undecoded (signatures
 * cover them), the answer becomes JSON. Only our own failures reach onError: 500, which vendors retry.
 */
export const createHttpFunction = (getReceiver: () => Promise<HttpReceiver>, name: string, logger: Logger) =>
  middy(
    async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyStructuredResultV2> => {
      // The API Gateway request id, as Powertools' correlationIdPath would set it, without JMESPath.
      if (event.requestContext?.requestId) logger.setCorrelationId(event.requestContext.requestId);
      const receiver = await getReceiver();
      const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64') : (event.body ?? '');
      const response = await receiver({
        headers: lowerCaseHeaders(event.headers),
        rawBody,
        invocation: context,
      });
      return json(response.status, response.body);
    },
  )
    // logEvent false overrides POWERTOOLS_LOGGER_LOG_EVENT: a request carries personal data and
    // its signature headers, and must never be logged.
    .use(injectLambdaContext(logger, { logEvent: false }))
    .onError((request) => {
      logger.error(`${name} failed`, { error: request.error });
      request.response = json(500, {
        error: { code: 'internal_error', message: 'temporary failure; retry later' },
      });
    });
