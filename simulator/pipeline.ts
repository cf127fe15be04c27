import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sleep } from '../lib/shared/clock.js';
import { authenticate, presentedToken } from './caller.js';
import { ERROR_CODE } from './constants.js';
import type { Counters } from './counters.js';
import { paramInvalid, SimError, tokenInvalid } from './errors.js';
import type { FaultDecision, FaultInjector } from './faults.js';
import { errorBody, header, parseJson, readBody, sendEmpty, sendJson } from './http.js';
import type { RateLimiter } from './rate-limit.js';
import { sendApiError, sendReply } from './respond.js';
import type { RouteDef } from './route-types.js';
import { createRouter } from './router.js';
import { ROUTES } from './routes.js';
import type { World } from './world.js';

/** The mutable parts of a running simulator the request pipeline reads. */
export interface Runtime {
  readonly world: () => World;
  readonly counters: Counters;
  readonly faults: () => FaultInjector;
  readonly limiter: RateLimiter;
  readonly latencyMs: number;
  /** Aborted on close, so pending delays end with the server. */
  readonly signal: AbortSignal;
  readonly onRequest?: (api: string, at: number) => void;
}

export type ControlHandler = (
  method: string,
  path: string,
  raw: Buffer,
  requestId: string,
) => { status: number; body?: unknown };

const route = createRouter(ROUTES);
const STATUS_CODE = {
  500: ERROR_CODE.serverError,
  502: ERROR_CODE.badGateway,
  503: ERROR_CODE.unavailable,
} as const;

/**
 * Per request: request id → body → /__sim control or route → count → latency → rate limit →
 * injected fault → token → handler → dialect rendering. Gateway-level answers (404, 429,
 * injected 5xx) always use the current error body, whatever the dialect.
 */
export const createPipeline = (rt: Runtime, control: ControlHandler) => {
  const delay = (ms: number) => sleep(ms, rt.signal);

  /** Answers the request itself when a fault short-circuits it; false lets it through. */
  const inject = async (
    fault: FaultDecision,
    def: RouteDef,
    req: IncomingMessage,
    res: ServerResponse,
    id: string,
  ) => {
    switch (fault.kind) {
      case 'none':
        return false;
      case 'slow':
        rt.counters.fault('slow');
        await delay(fault.ms);
        return false;
      case 'reset':
        rt.counters.fault('reset');
        req.socket.destroy();
        return true;
      case 'error':
        rt.counters.fault('error');
        sendJson(res, fault.status, errorBody(STATUS_CODE[fault.status], 'injected server error', id));
        return true;
      case 'throttle':
        rt.counters.fault('throttle');
        sendJson(res, 429, errorBody(ERROR_CODE.throttled, 'request throttled', id), {
          'Retry-After': String(fault.retryAfterSeconds),
        });
        return true;
      case 'revoke': {
        rt.counters.fault('revoke');
        const token = presentedToken(def.dialect, req.headers);
        if (token) rt.world().tokens.revoke(token);
        sendApiError(res, def.dialect, tokenInvalid(), id, rt.world().now());
        return true;
      }
    }
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, requestId: string, raw: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/__sim/')) {
      const out = control(req.method ?? 'GET', url.pathname, raw, requestId);
      return out.body === undefined ? sendEmpty(res, out.status) : sendJson(res, out.status, out.body);
    }
    const match = route(req.method ?? 'GET', url.pathname);
    if (!match) {
      const message = `no API at ${req.method} ${url.pathname}`;
      return sendJson(res, 404, errorBody(ERROR_CODE.notFound, message, requestId));
    }
    const def = match.route;
    rt.counters.record(def.api);
    rt.onRequest?.(def.api, rt.world().now());
    if (rt.latencyMs > 0) await delay(rt.latencyMs);
    const retryAfter = rt.limiter.take(def.api);
    if (retryAfter !== undefined) {
      rt.counters.fault('rateLimited');
      return sendJson(res, 429, errorBody(ERROR_CODE.throttled, 'rate limit exceeded', requestId), {
        'Retry-After': String(retryAfter),
      });
    }
    if (await inject(rt.faults().decide(def.api), def, req, res, requestId)) return;
    // Read the world after any delay: a reset() meanwhile must not leave us on the old one.
    const world = rt.world();
    try {
      if (def.auth === 'token') authenticate(def, req.headers, world);
      const body = parseJson(raw);
      const reply = def.handler({
        world,
        counters: rt.counters,
        params: match.params,
        query: url.searchParams,
        body,
        headers: req.headers,
        ip: req.socket.remoteAddress ?? '',
      });
      sendReply(res, def.dialect, reply, requestId, world.now());
    } catch (error) {
      if (!(error instanceof SimError)) throw error;
      sendApiError(res, def.dialect, error, requestId, world.now());
    }
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = header(req.headers, 'x-request-id') || randomUUID();
    res.setHeader('X-Request-Id', requestId);
    try {
      const raw = await readBody(req);
      if (raw === undefined) throw paramInvalid('body: too large');
      await serve(req, res, requestId, raw);
    } catch (error) {
      if (rt.signal.aborted) return;
      const known = error instanceof SimError ? error : undefined;
      const status = known?.status ?? 500;
      const code = known?.code ?? ERROR_CODE.serverError;
      sendJson(res, status, errorBody(code, known?.message ?? 'simulator internal error', requestId));
    }
  };
};
