import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAwsLiteSqs } from '../../lib/queue/aws-lite-sqs.js';
import { createSqsMessageSink } from '../../lib/queue/sqs-message-sink.js';
import { localAwsTarget } from '../../lib/shared/aws-client.js';
import { LOCAL_AWS } from '../../local/dynamo.js';
import { createLocalFifoQueue, type LocalFifoQueue } from '../../local/local-fifo-queue.js';
import { type LocalSqsEndpoint, startLocalSqsEndpoint } from '../../local/sqs-endpoint.js';

/**
 * The local queues behind an SQS-compatible endpoint, spoken to by the AWS SDK itself (its JSON
 * protocol, its checksum checks, its error classes), so the commands' SQS code runs unchanged
 * against the local stack.
 */

let queue: LocalFifoQueue;
let endpoint: LocalSqsEndpoint;
let sqs: SQSClient;
beforeAll(async () => {
  queue = createLocalFifoQueue({ name: 'events.fifo', visibilityTimeoutMs: 30_000 });
  endpoint = await startLocalSqsEndpoint([queue]);
  sqs = new SQSClient({ ...LOCAL_AWS, endpoint: endpoint.endpoint });
});
afterAll(async () => {
  sqs.destroy();
  await endpoint.close();
});

describe('the local SQS endpoint', () => {
  it('sends, receives with attributes, changes visibility and deletes, as SQS answers them', async () => {
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'events.fifo' }));
    expect(QueueUrl).toBe(endpoint.urlOf('events.fifo'));
    // The message sink of the functions, with their SQS client (aws-lite's SendMessageBatch).
    const functions = createAwsLiteSqs(localAwsTarget(endpoint.endpoint));
    await createSqsMessageSink({ client: functions, queueUrl: QueueUrl! }).send([
      { body: '{"n":1}', groupId: 'E1', deduplicationId: 'd1', attributes: { reason: 'x' } },
      { body: '{"n":2} ünïcödé', groupId: 'E1', deduplicationId: 'd2' },
    ]);
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: '{"n":3}',
        MessageGroupId: 'E2',
        MessageDeduplicationId: 'd3',
      }),
    );
    expect(sent.MessageId).toBe(queue.messages().at(-1)!.messageId);

    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 5,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    expect(Messages.map((m) => m.Body)).toEqual(['{"n":1}', '{"n":2} ünïcödé', '{"n":3}']);
    expect(Messages[0]).toMatchObject({
      Attributes: { MessageGroupId: 'E1', MessageDeduplicationId: 'd1', ApproximateReceiveCount: '1' },
      MessageAttributes: { reason: { DataType: 'String', StringValue: 'x' } },
    });
    expect(queue.stats().inFlight).toBe(3);
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl,
        ReceiptHandle: Messages[2]!.ReceiptHandle,
        VisibilityTimeout: 0,
      }),
    );
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle }));
    expect(queue.stats()).toMatchObject({ inFlight: 1, visible: 1, deleted: 1 });
    await expect(
      sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages[0]!.ReceiptHandle })),
    ).rejects.toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('answers an unknown queue with the SDK error SQS sends', async () => {
    await expect(
      sqs.send(new ReceiveMessageCommand({ QueueUrl: endpoint.urlOf('nope.fifo') })),
    ).rejects.toBeInstanceOf(QueueDoesNotExist);
    await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'nope.fifo' }))).rejects.toBeInstanceOf(
      QueueDoesNotExist,
    );
  });
});
