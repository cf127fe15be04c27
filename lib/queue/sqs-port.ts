/**
 * What `lib/queue` needs from SQS, with the API's own names (SQS JSON protocol). Production and
 * local runs: aws-lite (lib/queue/aws-lite-sqs.ts). A call that fails rejects; an entry SQS
 * refused comes back in `Failed`.
 */

export interface MessageAttributeValue {
  readonly DataType: string;
  readonly StringValue?: string;
}

export interface SendMessageBatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
  readonly MessageGroupId?: string;
  readonly MessageDeduplicationId?: string;
  readonly MessageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
}

export interface BatchResultErrorEntry {
  readonly Id: string;
  readonly Code?: string;
  readonly SenderFault?: boolean;
  readonly Message?: string;
}

export interface BatchResult {
  readonly Successful?: readonly { readonly Id: string }[];
  readonly Failed?: readonly BatchResultErrorEntry[];
}

export interface SqsMessage {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly MessageAttributes?: Readonly<Record<string, MessageAttributeValue>>;
}

export interface SqsPort {
  sendMessageBatch(input: {
    readonly QueueUrl: string;
    readonly Entries: readonly SendMessageBatchEntry[];
  }): Promise<BatchResult>;
  changeMessageVisibilityBatch(input: {
    readonly QueueUrl: string;
    readonly Entries: readonly {
      readonly Id: string;
      readonly ReceiptHandle: string;
      readonly VisibilityTimeout: number;
    }[];
  }): Promise<BatchResult>;
  deleteMessageBatch(input: {
    readonly QueueUrl: string;
    readonly Entries: readonly { readonly Id: string; readonly ReceiptHandle: string }[];
  }): Promise<BatchResult>;
  receiveMessage(input: {
    readonly QueueUrl: string;
    readonly MaxNumberOfMessages?: number;
    readonly VisibilityTimeout?: number;
    readonly WaitTimeSeconds?: number;
    readonly MessageSystemAttributeNames?: readonly string[];
    readonly MessageAttributeNames?: readonly string[];
  }): Promise<{ Messages?: SqsMessage[] }>;
  getQueueAttributes(input: {
    readonly QueueUrl: string;
    readonly AttributeNames: readonly string[];
  }): Promise<{ Attributes?: Record<string, string> }>;
  getQueueUrl(input: { readonly QueueName: string }): Promise<{ QueueUrl?: string }>;
}
