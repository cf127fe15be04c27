import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_HOST_DEFAULTS, startHttpHost } from '../../local/http-host.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

/** Short limits, so stalls end quickly; time is only checked against generous bounds. */
const LIMITS = { headersTimeoutMs: 300, bodyTimeoutMs: 300, maxHeaderBytes: 2048 };
/** Far above the limits even on a loaded machine; reaching it means the host held the client. */
const GENEROUS_MS = 10_000;

interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly json: unknown;
  readonly elapsedMs: number;
}

/** The one HTTP answer in `raw` (content-length or chunked), as a client sees it. */
const parseReply = (raw: string, elapsedMs: number): Reply => {
  const split = raw.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no HTTP answer, got ${JSON.stringify(raw.slice(0, 200))}`);
  const [statusLine, ...lines] = raw.slice(0, split).split('\r\n');
  const headers = Object.fromEntries(
    lines.map((line) => [
      line.slice(0, line.indexOf(':')).toLowerCase(),
      line.slice(line.indexOf(':') + 1).trim(),
    ]),
  );
  let body = raw.slice(split + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let text = '';
    for (let at = 0; ; ) {
      const eol = body.indexOf('\r\n', at);
      const size = Number.parseInt(body.slice(at, eol), 16);
      if (!size) break;
      text += body.slice(eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
    body = text;
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, json: JSON.parse(body), elapsedMs };
};

/**
 * Opens a connection, writes `chunks` (each after `gapMs`), never finishes the request, and
 * returns the answer once the server closes the connection.
 */
const stall = (url: string, chunks: readonly string[], gapMs = 0): Promise<Reply> =>
  new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let raw = '';
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(
      () => socket.destroy(new Error('the host held the connection')),
      3 * GENEROUS_MS,
    );
    socket.setEncoding('utf8');
    socket.on('connect', () => {
      let next = 0;
      const write = () => {
        if (next < chunks.length && !socket.destroyed) socket.write(chunks[next++]!);
        if (next < chunks.length) timer = setTimeout(write, gapMs);
      };
      write();
    });
    socket.on('data', (data: string) => {
      raw += data;
    });
    socket.on('error', () => undefined); // a reset after the answer is fine; no answer fails below
    socket.on('close', () => {
      clearTimeout(guard);
      clearTimeout(timer);
      try {
        resolve(parseReply(raw, Date.now() - started));
      } catch (error) {
        reject(error);
      }
    });
  });

const head = (path: string, extra = '') => `POST ${path} HTTP/1.1\r\nHost: localhost\r\n${extra}`;
const expectRefusal = (reply: Reply, status: number, code: string) => {
  expect(reply.status).toBe(status);
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
  expect(reply.json).toEqual({ error: { code, message: expect.any(String) } });
};

describe('local HTTP host limits', () => {
  let host: Awaited<ReturnType<typeof startHttpHost>>;
  beforeAll(async () => {
    host = await startHttpHost(
      [
        {
          method: 'POST',
          path: '/echo',
          functionName: 'echo',
          handler: async (event) => ({
            statusCode: 200,
            body: JSON.stringify({ length: event.body?.length ?? 0 }),
          }),
        },
      ],
      LIMITS,
    );
  });
  afterAll(() => host.close());

  it('defaults to 10 s for headers and for the body, and 10 KiB of headers', () => {
    expect(HTTP_HOST_DEFAULTS).toEqual({
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      maxHeaderBytes: 10_240,
    });
  });

  it('answers a request that arrives in time as usual', async () => {
    const res = await fetch(`${host.url}/echo`, { method: 'POST', body: 'x'.repeat(100) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ length: 100 });
  });

  it('answers headers that never complete with a JSON 408, after the header timeout', async () => {
    const reply = await stall(host.url, [head('/echo', 'Content-Type: application/json\r\n')]);
    expectRefusal(reply, 408, 'request_timeout');
    expect(reply.json).toMatchObject({ error: { message: 'request headers not received within 0.3 s' } });
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(LIMITS.headersTimeoutMs);
    expect(reply.elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('answers a connection that sends nothing with a JSON 408 too', async () => {
    const reply = await stall(host.url, []);
    expectRefusal(reply, 408, 'request_timeout');
    expect(reply.elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('answers a body that never completes with a JSON 408, after the body timeout', async () => {
    const reply = await stall(host.url, [`${head('/echo', 'Content-Length: 100\r\n')}\r\n{"type":`]);
    expectRefusal(reply, 408, 'request_timeout');
    expect(reply.json).toMatchObject({ error: { message: 'request body not received within 0.3 s' } });
    expect(reply.headers.connection).toBe('close');
    expect(reply.elapsedMs).toBeGreaterThanOrEqual(LIMITS.bodyTimeoutMs);
    expect(reply.elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('bounds the whole body, not the gap between bytes: a trickling client gets the 408 too', async () => {
    const trickle = Array.from({ length: 200 }, () => 'x');
    const reply = await stall(host.url, [`${head('/echo', 'Content-Length: 200\r\n')}\r\n`, ...trickle], 50);
    expectRefusal(reply, 408, 'request_timeout');
    expect(reply.elapsedMs).toBeLessThan(GENEROUS_MS);
  });

  it('answers oversized headers with a JSON 431', async () => {
    const reply = await stall(host.url, [`${head('/echo', `X-Pad: ${'a'.repeat(4096)}\r\n`)}\r\n`]);
    expectRefusal(reply, 431, 'headers_too_large');
  });

  it('answers a request that is not HTTP with a JSON 400', async () => {
    const reply = await stall(host.url, ['HELLO THERE\r\n\r\n']);
    expectRefusal(reply, 400, 'bad_request');
  });
});

describe('the local stack passes its HTTP limits to the webhook host', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    stack = await startLocalStack({ startWorker: false, http: LIMITS });
  });
  afterAll(() => stack?.stop());

  it('answers a webhook delivery whose body stalls with a JSON 408, and queues nothing', async () => {
    const { pathname } = new URL(stack.webhookUrl);
    const reply = await stall(stack.webhookUrl, [
      `${head(pathname, 'Content-Type: application/json\r\nContent-Length: 500\r\n')}\r\n[{"type":"employee.hired"`,
    ]);
    expectRefusal(reply, 408, 'request_timeout');
    expect(reply.elapsedMs).toBeLessThan(GENEROUS_MS);
    expect(stack.queue.stats().sent).toBe(0);
  });
});
