import { randomUUID } from 'node:crypto';
import { type Clock, type Log, silentLog, systemClock } from '../shared/index.js';
import { errorFromFailure } from './classify.js';

export type FetchFn = typeof fetch;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportRequest {
  /** Logical API name, for logs, metrics and errors. */
  readonly api: string;
  readonly method: HttpMethod;
  /** Absolute URL including the query string. */
  readonly url: string;
  /** Extra headers (auth); the transport adds X-Request-Id, Accept-Language, Content-Type. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly requestId: string;
  readonly signal?: AbortSignal;
  /** 1-based attempt number of the retry layer (logs and metrics only). */
  readonly attempt?: number;
  /** Overrides Content-Type for bodies (auth pages document a charset). */
  readonly contentType?: string;
}

export interface TransportResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  readonly body: unknown;
  /** True when a non-empty body was not JSON. */
  readonly invalidJson: boolean;
  /** X-Request-Id echoed by the server, else the one we sent. */
  readonly requestId: string;
  readonly durationMs: number;
  /** Origin of the URL called (scheme, host, port), for error messages. */
  readonly endpoint: string;
}

export interface RequestEvent {
  readonly api: string;
  readonly attempt: number;
  readonly status?: number;
  readonly durationMs: number;
  readonly requestId: string;
}

export interface TransportOptions {
  readonly timeoutMs: number;
  readonly fetch?: FetchFn;
  readonly clock?: Clock;
  readonly logger?: Log;
  readonly onRequest?: (event: RequestEvent) => void;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

export const newRequestId = (): string => randomUUID();

/** Scheme, host and port of a URL: what an error may say about where it happened. */
export const originOf = (url: string): string => {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
};

/**
 * The lowest layer: one HTTP exchange with a per-attempt timeout combined with the caller's
 * signal. Never throws for an HTTP status (the dialects interpret those); throws a retryable
 * MeetingError when no answer arrived. Logs metadata only: never headers or bodies.
 */
export const createTransport = (options: TransportOptions): Transport => {
  const doFetch = options.fetch ?? globalThis.fetch;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLog;

  return async (request) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      'X-Request-Id': request.requestId,
      'Accept-Language': 'en-US',
      Accept: 'application/json',
      ...request.headers,
    };
    const hasBody = request.body !== undefined;
    if (hasBody) headers['Content-Type'] = request.contentType ?? 'application/json';
    const attempt = request.attempt ?? 1;
    const endpoint = originOf(request.url);
    const started = clock.now();
    const report = (status: number | undefined, requestId: string) => {
      const durationMs = clock.now() - started;
      logger.debug('meeting request', { api: request.api, status, durationMs, requestId, attempt });
      options.onRequest?.({ api: request.api, attempt, status, durationMs, requestId });
      return durationMs;
    };

    let response: Response;
    let text: string;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers,
        body: hasBody ? JSON.stringify(request.body) : undefined,
        signal,
      });
      // The timeout also covers reading the body.
      text = await response.text();
    } catch (error) {
      report(undefined, request.requestId);
      throw errorFromFailure(request.api, error, {
        requestId: request.requestId,
        timedOut: timeout.aborted && !request.signal?.aborted,
        timeoutMs: options.timeoutMs,
        aborted: request.signal?.aborted === true,
        endpoint,
      });
    }
    const requestId = response.headers.get('x-request-id') ?? request.requestId;
    const durationMs = report(response.status, requestId);
    let body: unknown;
    let invalidJson = false;
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        invalidJson = true;
      }
    }
    return {
      status: response.status,
      headers: response.headers,
      body,
      invalidJson,
      requestId,
      durationMs,
      endpoint,
    };
  };
};
