import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { QueueSendError } from '../lib/queue/types.js';
import { sleep } from '../lib/shared/index.js';
import type { LocalFifoQueue, ReceivedMessage } from './local-fifo-queue.js';

/**
 * The local FIFO queues behind an SQS-compatible HTTP endpoint (the JSON protocol the AWS SDK v3
 * speaks: `X-Amz-Target: AmazonSQS.<Operation>`), so that the operator commands use the same
 * SQS client code against the local stack as against a deployed one (`npm run dlq`), and reach
 * the queues of a running `npm run dev` from another process. Only what those commands use:
 * GetQueueUrl, GetQueueAttributes, SendMessage(Batch), ReceiveMessage, DeleteMessage(Batch),
 * ChangeMessageVisibility(Batch). Signatures are not checked (local only, bound to 127.0.0.1).
 */

const ACCOUNT = '000000000000';
const MAX_WAIT_SECONDS = 20;

interface SqsFault {
  readonly status: number;
  readonly type: string;
  /** The AWS query-protocol code, sent in `x-amzn-query-error` (the SDK maps errors by it). */
  readonly code: string;
  readonly message: string;
}

const fault = (type: string, code: string, message: string, status = 400): SqsFault => ({
  status,
  type,
  code,
  message,
});
const invalid = (message: string) => fault('InvalidParameterValue', 'InvalidParameterValue', message);

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

type Attributes = Record<string, { DataType?: string; StringValue?: string }>;

const stringAttributes = (attributes: Attributes | undefined): Record<string, string> =>
  Object.fromEntries(
    Object.entries(attributes ?? {}).flatMap(([name, value]) =>
      typeof value?.StringValue === 'string' ? [[name, value.StringValue]] : [],
    ),
  );

const messageView = (m: ReceivedMessage) => ({
  MessageId: m.messageId,
  ReceiptHandle: m.receiptHandle,
  MD5OfBody: md5(m.body),
  Body: m.body,
  Attributes: {
    ApproximateReceiveCount: String(m.receiveCount),
    SentTimestamp: String(m.sentAt),
    ApproximateFirstReceiveTimestamp: String(m.firstReceivedAt),
    MessageGroupId: m.groupId,
    MessageDeduplicationId: m.deduplicationId,
    SequenceNumber: m.sequenceNumber,
  },
  MessageAttributes: Object.fromEntries(
    Object.entries(m.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  ),
});

export interface LocalSqsEndpoint {
  readonly endpoint: string;
  /** The queue URL of a served queue, by its name. */
  urlOf(name: string): string;
  close(): Promise<void>;
}

/** Serves `queues` on 127.0.0.1 (port 0 = any free port). */
export const startLocalSqsEndpoint = async (
  queues: readonly LocalFifoQueue[],
  options: { port?: number } = {},
): Promise<LocalSqsEndpoint> => {
  const byName = new Map(queues.map((q) => [q.name, q]));
  let endpoint = '';
  const queueOf = (input: Record<string, unknown>): LocalFifoQueue => {
    const url = String(input.QueueUrl ?? '');
    const name = url.split('/').at(-1) ?? '';
    const queue = byName.get(name);
    if (!queue || !url.startsWith(`${endpoint}/${ACCOUNT}/`)) {
      throw fault(
        'com.amazonaws.sqs#QueueDoesNotExist',
        'AWS.SimpleQueueService.NonExistentQueue',
        `The specified queue does not exist: ${url}`,
      );
    }
    return queue;
  };

  /** The id SQS answers for a sent message: the stored one (also for a deduplicated resend). */
  const storedId = (queue: LocalFifoQueue, groupId: string, deduplicationId: string) =>
    queue
      .messages()
      .reverse()
      .find((m) => m.groupId === groupId && m.deduplicationId === deduplicationId)?.messageId ?? randomUUID();

  const send = async (queue: LocalFifoQueue, entry: Record<string, unknown>) => {
    const message = {
      body: String(entry.MessageBody ?? ''),
      groupId: String(entry.MessageGroupId ?? ''),
      deduplicationId: String(entry.MessageDeduplicationId ?? ''),
      attributes: stringAttributes(entry.MessageAttributes as Attributes | undefined),
    };
    try {
      await queue.send([message]);
    } catch (error) {
      if (error instanceof QueueSendError) throw invalid(error.failed[0]?.reason ?? error.message);
      throw error;
    }
    return {
      MessageId: storedId(queue, message.groupId, message.deduplicationId),
      MD5OfMessageBody: md5(message.body),
      SequenceNumber: queue.messages().at(-1)?.sequenceNumber ?? '0',
    };
  };

  const batch = async <T>(
    entries: unknown,
    each: (entry: Record<string, unknown>) => Promise<T>,
  ): Promise<{ Successful: (T & { Id: string })[]; Failed: unknown[] }> => {
    const list = Array.isArray(entries) ? (entries as Record<string, unknown>[]) : [];
    if (list.length === 0 || list.length > 10) {
      throw fault(
        'AWS.SimpleQueueService.EmptyBatchRequest',
        'AWS.SimpleQueueService.EmptyBatchRequest',
        '1-10 entries',
      );
    }
    const Successful: (T & { Id: string })[] = [];
    const Failed: unknown[] = [];
    for (const entry of list) {
      try {
        Successful.push({ Id: String(entry.Id), ...(await each(entry)) });
      } catch (error) {
        const f = error as Partial<SqsFault>;
        Failed.push({
          Id: String(entry.Id),
          Code: f.code ?? 'InternalError',
          Message: f.message,
          SenderFault: true,
        });
      }
    }
    return { Successful, Failed };
  };

  const deleteOne = async (queue: LocalFifoQueue, receiptHandle: unknown) => {
    if (!(await queue.delete(String(receiptHandle ?? '')))) {
      throw fault(
        'ReceiptHandleIsInvalid',
        'ReceiptHandleIsInvalid',
        'The receipt handle has expired or is unknown',
      );
    }
    return {};
  };

  const changeVisibility = async (queue: LocalFifoQueue, receiptHandle: unknown, seconds: unknown) => {
    if (!(await queue.changeVisibility(String(receiptHandle ?? ''), Number(seconds ?? 0) * 1000))) {
      throw fault(
        'ReceiptHandleIsInvalid',
        'ReceiptHandleIsInvalid',
        'The receipt handle has expired or is unknown',
      );
    }
    return {};
  };

  const operations: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {
    GetQueueUrl: async (input) => {
      const name = String(input.QueueName ?? '');
      if (!byName.has(name)) {
        throw fault(
          'com.amazonaws.sqs#QueueDoesNotExist',
          'AWS.SimpleQueueService.NonExistentQueue',
          `no queue ${name}`,
        );
      }
      return { QueueUrl: `${endpoint}/${ACCOUNT}/${name}` };
    },
    GetQueueAttributes: async (input) => {
      const stats = queueOf(input).stats();
      return {
        Attributes: {
          ApproximateNumberOfMessages: String(stats.visible),
          ApproximateNumberOfMessagesNotVisible: String(stats.inFlight),
          FifoQueue: 'true',
        },
      };
    },
    SendMessage: async (input) => send(queueOf(input), input),
    SendMessageBatch: async (input) => {
      const queue = queueOf(input);
      return batch(input.Entries, (entry) => send(queue, entry));
    },
    ReceiveMessage: async (input) => {
      const queue = queueOf(input);
      const max = Number(input.MaxNumberOfMessages ?? 1);
      const wait = Math.min(Number(input.WaitTimeSeconds ?? 0), MAX_WAIT_SECONDS) * 1000;
      const visibility =
        input.VisibilityTimeout === undefined ? undefined : Number(input.VisibilityTimeout) * 1000;
      const deadline = Date.now() + wait;
      for (;;) {
        const received = await queue.receive({
          maxMessages: max,
          ...(visibility !== undefined && { visibilityTimeoutMs: visibility }),
        });
        if (received.length > 0 || Date.now() >= deadline) return { Messages: received.map(messageView) };
        await sleep(50);
      }
    },
    DeleteMessage: async (input) => deleteOne(queueOf(input), input.ReceiptHandle),
    DeleteMessageBatch: async (input) => {
      const queue = queueOf(input);
      return batch(input.Entries, (entry) => deleteOne(queue, entry.ReceiptHandle));
    },
    ChangeMessageVisibility: async (input) =>
      changeVisibility(queueOf(input), input.ReceiptHandle, input.VisibilityTimeout),
    ChangeMessageVisibilityBatch: async (input) => {
      const queue = queueOf(input);
      return batch(input.Entries, (entry) =>
        changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout),
      );
    },
  };

  const answer = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
    response.end(JSON.stringify(body));
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = operations[target.replace(/^AmazonSQS\./, '')];
    try {
      if (request.method !== 'POST' || !operation) {
        throw fault(
          'UnsupportedOperation',
          'AWS.SimpleQueueService.UnsupportedOperation',
          `unsupported: ${target}`,
        );
      }
      const text = Buffer.concat(chunks).toString('utf8');
      const input = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
      answer(response, 200, await operation(input));
    } catch (error) {
      const f =
        typeof (error as Partial<SqsFault>)?.status === 'number'
          ? (error as SqsFault)
          : error instanceof SyntaxError
            ? fault('SerializationException', 'SerializationException', 'the body is not JSON')
            : error instanceof RangeError
              ? invalid(error.message)
              : fault('InternalError', 'InternalError', String((error as Error)?.message ?? error), 500);
      answer(
        response,
        f.status,
        { __type: f.type, message: f.message },
        { 'x-amzn-query-error': `${f.code};${f.status < 500 ? 'Sender' : 'Receiver'}` },
      );
    }
  };

  const server = createServer((request, response) => {
    handle(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint,
    urlOf: (name) => `${endpoint}/${ACCOUNT}/${name}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
};
