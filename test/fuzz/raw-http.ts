import { request } from 'node:http';

export interface RawReply {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly text: string;
}

/** Longer than any answer of the local stack takes; reaching it means the server hangs. */
const HANG_MS = 5_000;

/**
 * POSTs exactly the given header lines (any case, repeated names allowed) and body bytes, which
 * fetch cannot do (it merges and normalises headers and only sends well-formed text).
 * Rejects on a hang or a connection closed without an answer.
 */
export const postRaw = (
  url: string,
  headers: readonly [string, string][],
  body: Uint8Array,
): Promise<RawReply> =>
  new Promise((resolve, reject) => {
    const target = new URL(url);
    const lines = [['Host', target.host], ['Content-Length', String(body.byteLength)], ...headers].flat();
    const req = request(
      { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: lines },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'],
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.setTimeout(HANG_MS, () => req.destroy(new Error(`no answer within ${HANG_MS} ms`)));
    req.on('error', reject);
    req.end(body);
  });
