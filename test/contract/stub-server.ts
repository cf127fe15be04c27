import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CorpusEntry } from './corpus.js';

/**
 * A stub Meeting server for replaying the contract corpus: each route answers a corpus entry
 * exactly as documented (status, headers, body), over a real socket. It knows nothing of the
 * API: what it sends is the document, what it records is what our client sent.
 */
export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

export interface StubRoute {
  readonly method: string;
  /** Matched against the path without the query string. */
  readonly path: string | RegExp;
  /** An entry, or a choice per request (e.g. by offset). */
  readonly reply: CorpusEntry | ((request: RecordedRequest) => CorpusEntry);
}

export interface StubServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Requests of one method and path (prefix). */
  sent(method: string, path: string): RecordedRequest[];
  close(): Promise<void>;
}

const HOP_HEADERS = new Set(['content-length', 'connection', 'transfer-encoding']);

export const startStubServer = async (routes: readonly StubRoute[]): Promise<StubServer> => {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: text === '' ? undefined : JSON.parse(text),
      };
      requests.push(recorded);
      const route = routes.find(
        (r) =>
          r.method === recorded.method &&
          (typeof r.path === 'string' ? r.path === recorded.path : r.path.test(recorded.path)),
      );
      if (!route) {
        res.writeHead(599).end();
        return;
      }
      const e = typeof route.reply === 'function' ? route.reply(recorded) : route.reply;
      const payload = e.rawBody ?? (e.body === undefined ? '' : JSON.stringify(e.body));
      const headers = Object.fromEntries(
        Object.entries(e.headers ?? {}).filter(([k]) => !HOP_HEADERS.has(k.toLowerCase())),
      );
      res.writeHead(e.status ?? 200, { ...headers, 'Content-Length': Buffer.byteLength(payload) });
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent: (method, path) => requests.filter((r) => r.method === method && r.path.startsWith(path)),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
