import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS } from './constants.js';
import { paramInvalid } from './errors.js';

const JSON_TYPE = 'application/json;charset=UTF-8';

/** Reads the whole body; undefined when it exceeds the cap (the request is then rejected). */
export const readBody = (req: IncomingMessage): Promise<Buffer | undefined> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= LIMITS.bodyBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > LIMITS.bodyBytes ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });

/** Empty body → undefined; anything else must be JSON. */
export const parseJson = (raw: Buffer): unknown => {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw paramInvalid('body: malformed JSON');
  }
};

const writable = (res: ServerResponse) => !res.destroyed && !res.writableEnded;

export const sendJson = (
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void => {
  if (!writable(res)) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
};

export const sendEmpty = (res: ServerResponse, status: number): void => {
  if (!writable(res)) return;
  res.writeHead(status, { 'Content-Length': 0 });
  res.end();
};

/** Current-API error body (docs/meeting-api.md §5.1). */
export const errorBody = (code: string, message: string, requestId: string) => ({
  error_code: code,
  error_msg: message,
  request_id: requestId,
});

/** First value of a (lower-case) header name. */
export const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};
