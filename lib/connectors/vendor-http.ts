import { parseRetryAfter } from '../http/retry-after.js';
import { ConnectorError } from './errors.js';
import type { ConnectorName } from './types.js';

export type FetchFn = typeof fetch;

export interface VendorRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

export interface VendorResponse {
  readonly status: number;
  /** Parsed JSON; undefined when empty or not JSON. */
  readonly body: unknown;
  /** Delay the vendor asked for (Retry-After), in ms. */
  readonly retryAfterMs?: number;
}

export interface VendorHttpOptions {
  readonly connector: ConnectorName;
  readonly timeoutMs: number;
  readonly fetch?: FetchFn;
}

/**
 * One JSON exchange with a vendor API, bounded by a timeout. Never throws for an HTTP status (the
 * clients decide); a transport failure or timeout is a retryable ConnectorError. No retry here:
 * the vendor retries its webhook when we answer 503, later than any retry inside one request.
 */
export const createVendorHttp =
  ({ connector, timeoutMs, fetch: doFetch = globalThis.fetch }: VendorHttpOptions) =>
  async (request: VendorRequest): Promise<VendorResponse> => {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const path = new URL(request.url).pathname;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(request.url, {
        method: request.method,
        headers: {
          Accept: 'application/json',
          ...(request.body !== undefined && { 'Content-Type': 'application/json; charset=utf-8' }),
          ...request.headers,
        },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        signal,
      });
      text = await response.text();
    } catch (error) {
      const what = timeout.aborted ? `timed out after ${timeoutMs} ms` : 'failed';
      // The cause is kept for DEBUG logs; the message names the path only (no query, no credentials).
      throw new ConnectorError(connector, 'vendorUnavailable', `${request.method} ${path} ${what}`, {
        cause: error,
      });
    }
    let body: unknown;
    try {
      body = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return { status: response.status, body, ...(retryAfterMs !== undefined && { retryAfterMs }) };
  };
export type VendorHttp = ReturnType<typeof createVendorHttp>;
