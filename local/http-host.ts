import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
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

export interface HttpHostOptions {
  readonly port?: number;
  readonly host?: string;
  /** Time allowed to receive a request's line and headers; then a JSON 408 (default 10 s). */
  readonly headersTimeoutMs?: number;
  /** Time allowed to receive the whole body once the headers are in; then a JSON 408 (default 10 s). */
  readonly bodyTimeoutMs?: number;
  /** Largest request head (request line and headers); larger gets a JSON 431 (default 10 KiB). */
  readonly maxHeaderBytes?: number;
}

/**
 * Bounds on slow or oversized clients: `npm run dev` is what an HR team tests against and may
 * expose on a network, where API Gateway is not in front. Node's defaults hold a stalled body
 * for ~310 s and stalled headers for ~70 s before a bare 408. 10 KiB of headers is API Gateway's
 * HTTP API limit on the request line and headers.
 */
export const HTTP_HOST_DEFAULTS = {
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  maxHeaderBytes: 10 * 1024,
} as const;

interface Refusal {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

const refusalBody = ({ code, message }: Refusal) => JSON.stringify({ error: { code, message } });

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly refusal: Refusal };

/** Reads the whole body within `timeoutMs` (a deadline, not an idle timer: trickling does not extend it). */
const readBody = (req: IncomingMessage, timeoutMs: number): Promise<BodyResult> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (refusal: Refusal) => {
      clearTimeout(timer);
      // Stop buffering; the caller answers and closes the connection after the answer.
      req.removeAllListeners('data');
      req.resume();
      resolve({ ok: false, refusal });
    };
    const timer = setTimeout(
      () =>
        stop({
          status: 408,
          code: 'request_timeout',
          message: `request body not received within ${seconds(timeoutMs)}`,
        }),
      timeoutMs,
    );
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_PAYLOAD_BYTES)
        stop({ status: 413, code: 'payload_too_large', message: 'request exceeds 10 MB' });
      else chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      resolve({ ok: true, body: Buffer.concat(chunks) });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });

/**
 * Node's parser errors (before any request object exists) as JSON refusals. Node's own answers
 * are bare (`408`, `431`, `400` without a body); every other refusal of this host is JSON.
 */
const clientErrorRefusal = (code: string | undefined, headersTimeoutMs: number): Refusal => {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        code: 'request_timeout',
        message: `request headers not received within ${seconds(headersTimeoutMs)}`,
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, code: 'headers_too_large', message: 'request headers are too large' };
    default:
      return { status: 400, code: 'bad_request', message: 'malformed HTTP request' };
  }
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/** A whole HTTP/1.1 response for a raw socket (there is no ServerResponse at that stage). */
const rawResponse = (refusal: Refusal): string => {
  const body = refusalBody(refusal);
  return [
    `HTTP/1.1 ${refusal.status} ${REASONS[refusal.status] ?? 'Error'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
};

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
 * Slow and oversized clients are answered in JSON and disconnected (HTTP_HOST_DEFAULTS).
 */
export const startHttpHost = async (routes: readonly Route[], options: HttpHostOptions = {}) => {
  const {
    headersTimeoutMs = HTTP_HOST_DEFAULTS.headersTimeoutMs,
    bodyTimeoutMs = HTTP_HOST_DEFAULTS.bodyTimeoutMs,
    maxHeaderBytes = HTTP_HOST_DEFAULTS.maxHeaderBytes,
  } = options;
  for (const [name, value] of Object.entries({ headersTimeoutMs, bodyTimeoutMs, maxHeaderBytes })) {
    if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer`);
  }
  /** The response in progress on each socket: a parser error after it has started must not write into it. */
  const inFlight = new WeakMap<Duplex, ServerResponse>();
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      // A backstop only: the body deadline below answers first.
      requestTimeout: headersTimeoutMs + bodyTimeoutMs + 1_000,
      // How often Node checks headersTimeout (default 30 s, which would add up to 30 s to it).
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeoutMs / 4))),
      maxHeaderSize: maxHeaderBytes,
    },
    async (req, res) => {
      inFlight.set(req.socket, res);
      try {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const route = routes.find((r) => r.method === req.method && r.path === path);
        if (!route) {
          send(res, {
            statusCode: 404,
            body: refusalBody({ status: 404, code: 'not_found', message: `no route ${req.method} ${path}` }),
          });
          return;
        }
        const read = await readBody(req, bodyTimeoutMs);
        if (!read.ok) {
          res.setHeader('connection', 'close');
          send(res, { statusCode: read.refusal.status, body: refusalBody(read.refusal) });
          return;
        }
        const event = toApiGatewayEvent(req, read.body, `${route.method} ${route.path}`);
        send(res, await route.handler(event, createLambdaContext(route.functionName)));
      } catch {
        // Mirrors API Gateway when the integration fails.
        send(res, { statusCode: 500, body: JSON.stringify({ message: 'Internal Server Error' }) });
      }
    },
  );
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || inFlight.get(socket)?.headersSent) {
      socket.destroy();
      return;
    }
    // Destroyed once the answer is flushed (Node's own handler destroys at once after writing).
    socket.end(rawResponse(clientErrorRefusal(error.code, headersTimeoutMs)), () => socket.destroy());
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
