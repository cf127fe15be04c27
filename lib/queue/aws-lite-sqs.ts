import { type AwsTarget, abortable, lazyAwsClient } from '../shared/aws-client.js';
import type { SqsPort } from './sqs-port.js';

/** The AWS error name without its namespace (`com.amazonaws.sqs#QueueDoesNotExist` → `QueueDoesNotExist`). */
const withPlainName = (error: unknown): unknown => {
  const e = error as { name?: unknown } | null;
  if (e && typeof e.name === 'string' && e.name.includes('#')) {
    Object.defineProperty(e, 'name', {
      value: e.name.slice(e.name.lastIndexOf('#') + 1),
      configurable: true,
    });
  }
  return error;
};

/**
 * SqsPort over aws-lite's client, in the SQS JSON protocol (the one AWS SDK v3 speaks, and
 * local/sqs-endpoint.ts). Not @aws-lite/sqs: its 0.2 plugin has none of the batch calls
 * (SendMessageBatch, ChangeMessageVisibilityBatch, DeleteMessageBatch) nor GetQueueUrl, and sends
 * SendMessage in the older query protocol. aws-lite signs the calls and retries throttling,
 * 5xx and network failures; the client is created on the first call.
 */
export const createAwsLiteSqs = (target: AwsTarget = {}): SqsPort => {
  const client = lazyAwsClient(target);
  const call = async <T>(operation: string, input: object): Promise<T> => {
    const aws = await client();
    try {
      const { payload } = await abortable(
        aws({
          service: 'sqs',
          headers: { 'X-Amz-Target': `AmazonSQS.${operation}`, 'content-type': 'application/x-amz-json-1.0' },
          // Plain JSON: SQS takes no DynamoDB-style attribute values.
          awsjson: false,
          payload: { ...input },
        }),
        undefined,
        target.callTimeoutMs,
      );
      return (payload ?? {}) as T;
    } catch (error) {
      throw withPlainName(error);
    }
  };
  return {
    sendMessageBatch: (input) => call('SendMessageBatch', input),
    changeMessageVisibilityBatch: (input) => call('ChangeMessageVisibilityBatch', input),
    deleteMessageBatch: (input) => call('DeleteMessageBatch', input),
    receiveMessage: (input) => call('ReceiveMessage', input),
    getQueueAttributes: (input) => call('GetQueueAttributes', input),
    getQueueUrl: (input) => call('GetQueueUrl', input),
  };
};
