import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createAwsLiteSqs } from '../../lib/queue/aws-lite-sqs.js';
import { localAwsTarget } from '../../lib/shared/aws-client.js';

type Input = Record<string, unknown>;
type Handler = (input: Input) => unknown;

/** An error answer, as SQS sends it in its JSON protocol. */
export class SqsFault {
  constructor(
    readonly status: number,
    readonly type: string,
  ) {}
}

/**
 * A stand-in for SQS over HTTP, for the functions' SQS client (aws-lite) to talk to: each test
 * says how an operation answers (SQS's JSON protocol: `X-Amz-Target: AmazonSQS.<Operation>`),
 * and reads back what the client sent. Partial failures (an entry in `Failed`) and failed calls
 * cannot be had from the local queue, hence this; local/sqs-endpoint.ts is the working queue.
 */
export const startFakeSqs = async () => {
  const handlers = new Map<string, Handler[]>();
  const calls: { operation: string; input: Input; headers: Record<string, string | string[] | undefined> }[] =
    [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', async () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(payload));
      };
      const operation = String(req.headers['x-amz-target'] ?? '').replace(/^AmazonSQS\./, '');
      const input = JSON.parse(body || '{}') as Input;
      calls.push({ operation, input, headers: req.headers });
      const queue = handlers.get(operation) ?? [];
      const handler = queue.length > 1 ? queue.shift()! : queue[0];
      if (!handler)
        return reply(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: operation });
      try {
        reply(200, await handler(input));
      } catch (error) {
        if (!(error instanceof SqsFault)) throw error;
        reply(error.status, { __type: `com.amazonaws.sqs#${error.type}`, message: 'fake' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    /** The functions' SQS client pointed here. */
    client: createAwsLiteSqs(localAwsTarget(url)),
    /** How `operation` answers from now on; several: one per call, the last one for good. */
    on: (operation: string, ...answers: Handler[]) => {
      handlers.set(operation, answers);
    },
    /** The request headers of `operation` (signature, security token), in order. */
    headers: (operation: string) => calls.filter((c) => c.operation === operation).map((c) => c.headers),
    /** The inputs of `operation` as the client sent them, in order. */
    inputs: (operation: string) => calls.filter((c) => c.operation === operation).map((c) => c.input),
    reset: () => {
      handlers.clear();
      calls.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
export type FakeSqs = Awaited<ReturnType<typeof startFakeSqs>>;

/** A queue URL of the shape SQS gives (the fake answers any). */
export const FAKE_QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/lifecycle.fifo';

/**
 * One fake SQS endpoint for the enclosing describe (or file), reset after each test. Returns a
 * getter: the endpoint exists only once beforeAll has run.
 */
export const useFakeSqs = (): (() => FakeSqs) => {
  let sqs: FakeSqs | undefined;
  beforeAll(async () => {
    sqs = await startFakeSqs();
  });
  afterAll(() => sqs?.close());
  afterEach(() => sqs?.reset());
  return () => sqs!;
};
