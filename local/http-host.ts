import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { createLambdaContext } from './lambda-context.js';

type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

export interface Route {
  readonly method: string;
  readonly path: string;
  readonly functionName: string;
  readonly handler: HttpHandler;
}

/** API Gateway HTTP API payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES) {
        // Stop buffering; the caller answers 413 and closes the connection after the answer.
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Builds the same APIGatewayProxyEventV2 that API Gateway's HTTP API (payload 2.0) sends. */
export const toApiGatewayEvent = (
  req: IncomingMessage,
  body: Buffer,
  routeKey: string,
): APIGatewayProxyEventV2 => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway base64-encodes bodies it cannot pass as text.
  const text = isUtf8(body);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    headers,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
    },
    ...(body.length > 0 && { body: text ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: body.length > 0 && !text,
  };
};

const send = (res: ServerResponse, result: APIGatewayProxyStructuredResultV2) => {
  res.writeHead(result.statusCode ?? 200, {
    'content-type': 'application/json',
    ...(result.headers as object),
  });
  res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
};

/**
 * A real local HTTP host for HTTP-API Lambda handlers (what serverless-offline does, without
 * its framework start-up cost): each request becomes a payload-2.0 event and a fresh context.
 */
export const startHttpHost = async (
  routes: readonly Route[],
  options: { port?: number; host?: string } = {},
) => {
  const server = createServer(async (req, res) => {
    try {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const route = routes.find((r) => r.method === req.method && r.path === path);
      if (!route) {
        send(res, {
          statusCode: 404,
          body: JSON.stringify({ error: { code: 'not_found', message: `no route ${req.method} ${path}` } }),
        });
        return;
      }
      const body = await readBody(req);
      if (body === undefined) {
        res.setHeader('connection', 'close');
        send(res, {
          statusCode: 413,
          body: JSON.stringify({ error: { code: 'payload_too_large', message: 'request exceeds 10 MB' } }),
        });
        return;
      }
      const event = toApiGatewayEvent(req, body, `${route.method} ${route.path}`);
      send(res, await route.handler(event, createLambdaContext(route.functionName)));
    } catch {
      // Mirrors API Gateway when the integration fails.
      send(res, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
    }
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};
