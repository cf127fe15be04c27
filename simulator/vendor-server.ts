import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Helpers shared by the HR vendor simulators (BambooHR, Feishu/Lark): a tiny JSON server and sender. */

export interface VendorAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string | undefined>>;
}
export type VendorRoute = (req: IncomingMessage, url: URL, body: Buffer) => VendorAnswer;

const readAll = (req: IncomingMessage): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const send = (res: ServerResponse, status: number, body: unknown, headers: VendorAnswer['headers'] = {}) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  const extra = Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...extra });
  res.end(text);
};

/** Starts a JSON HTTP server on 127.0.0.1 (port 0 by default) that hands every request to `route`. */
export const startVendorServer = async (route: VendorRoute, port = 0) => {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const answer = route(req, url, await readAll(req));
      send(res, answer.status, answer.body, answer.headers);
    } catch {
      send(res, 500, { error: 'simulator failure' });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
};

export interface Delivery {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** POSTs a webhook body exactly as given (a string, so the signed bytes are the sent bytes). */
export const deliver = async (
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<Delivery> => {
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { raw: text };
  }
  return { status: response.status, body: parsed };
};

/** The Authorization header's bearer or basic credential, if any. */
export const credential = (req: IncomingMessage, scheme: 'Basic' | 'Bearer'): string | undefined => {
  const header = req.headers.authorization;
  return header?.startsWith(`${scheme} `) ? header.slice(scheme.length + 1) : undefined;
};
