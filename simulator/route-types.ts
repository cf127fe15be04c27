import type { IncomingHttpHeaders } from 'node:http';
import type { ApiName } from './constants.js';
import type { Counters } from './counters.js';
import type { World } from './world.js';

export type Dialect = 'current' | 'legacy';

/** One request as a handler sees it: parsed, authenticated, nothing left to do with sockets. */
export interface Call {
  readonly world: World;
  readonly counters: Counters;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly headers: IncomingHttpHeaders;
  readonly ip: string;
}

/** `body` undefined = 200 with an empty body (current) or an envelope without data (legacy). */
export interface Reply {
  readonly body?: unknown;
}

export type Handler = (call: Call) => Reply;

export interface RouteDef {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly api: ApiName;
  readonly dialect: Dialect;
  /** 'token': X-Access-Token (current) or Basic Base64(accessToken) (legacy). */
  readonly auth: 'none' | 'token';
  /** Role the caller's member needs: any admin (default for token routes) or the default admin. */
  readonly role?: 'admin' | 'owner';
  readonly handler: Handler;
}
