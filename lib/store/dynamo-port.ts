/**
 * What the store needs from DynamoDB: document-style calls (plain JS values in and out; the
 * adapter marshals), with the AWS API's own parameter names, so each call reads like the API
 * reference. Production and local runs: aws-lite (lib/store/aws-lite-dynamo.ts).
 */

/** An item or key as plain JS values (strings, numbers, booleans, lists, maps). */
export type Item = Record<string, unknown>;
export type Key = Record<string, unknown>;

/** Where a Query page stopped: pass it back as ExclusiveStartKey (opaque). */
export type PageCursor = Readonly<Record<string, unknown>>;

interface Expressions {
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  readonly ExpressionAttributeValues?: Readonly<Record<string, unknown>>;
}

export interface GetInput {
  readonly TableName: string;
  readonly Key: Key;
  readonly ConsistentRead?: boolean;
}

export interface PutInput extends Expressions {
  readonly TableName: string;
  readonly Item: Item;
  /** ALL_OLD: a failed condition's DynamoServiceError carries the item as it is (`item`). */
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

export interface DeleteInput extends Expressions {
  readonly TableName: string;
  readonly Key: Key;
}

export interface UpdateInput extends Expressions {
  readonly TableName: string;
  readonly Key: Key;
  readonly UpdateExpression: string;
  readonly ReturnValues?: 'NONE' | 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';
}

export interface QueryInput extends Omit<Expressions, 'ConditionExpression'> {
  readonly TableName: string;
  readonly IndexName?: string;
  readonly KeyConditionExpression: string;
  readonly ConsistentRead?: boolean;
  readonly Limit?: number;
  readonly Select?: 'COUNT' | 'ALL_ATTRIBUTES';
  readonly ExclusiveStartKey?: PageCursor;
}

export interface QueryOutput {
  readonly Items: Item[];
  readonly Count: number;
  readonly LastEvaluatedKey?: PageCursor;
}

export type WriteRequest =
  | { readonly DeleteRequest: { readonly Key: Key } }
  | { readonly PutRequest: { readonly Item: Item } };

/** The calls `lib/store` makes. Every failure rejects; a DynamoDB error answer as DynamoServiceError. */
export interface DynamoPort {
  get(input: GetInput): Promise<{ Item?: Item }>;
  put(input: PutInput): Promise<void>;
  delete(input: DeleteInput): Promise<void>;
  /** `signal`: stop waiting (the call may still land: a conditional write decides only once). */
  update(input: UpdateInput, options?: { signal?: AbortSignal }): Promise<{ Attributes?: Item }>;
  /** One page. */
  query(input: QueryInput): Promise<QueryOutput>;
  /** One call; what DynamoDB did not get to comes back in UnprocessedKeys. */
  batchGet(input: {
    readonly RequestItems: Readonly<
      Record<string, { readonly Keys: readonly Key[]; readonly ConsistentRead?: boolean }>
    >;
  }): Promise<{ Responses: Record<string, Item[]>; UnprocessedKeys: Record<string, { Keys: Key[] }> }>;
  /** One call; what DynamoDB did not get to comes back in UnprocessedItems. */
  batchWrite(input: {
    readonly RequestItems: Readonly<Record<string, readonly WriteRequest[]>>;
  }): Promise<{ UnprocessedItems: Record<string, WriteRequest[]> }>;
}

/** CreateTable input, as much of it as `tableDefinition` uses (lib/store/table.ts). */
export interface TableDefinition {
  readonly TableName: string;
  readonly BillingMode: 'PAY_PER_REQUEST';
  readonly AttributeDefinitions: readonly {
    readonly AttributeName: string;
    readonly AttributeType: 'S' | 'N';
  }[];
  readonly KeySchema: readonly KeySchemaElement[];
  readonly GlobalSecondaryIndexes: readonly {
    readonly IndexName: string;
    readonly KeySchema: readonly KeySchemaElement[];
    readonly Projection: { readonly ProjectionType: 'ALL' };
  }[];
}
interface KeySchemaElement {
  readonly AttributeName: string;
  readonly KeyType: 'HASH' | 'RANGE';
}

/** Table management, for local runs only (`ensureTable`); deployed tables come from serverless.yml. */
export interface DynamoAdminPort {
  createTable(input: TableDefinition): Promise<void>;
  describeTable(input: { readonly TableName: string }): Promise<{
    Table?: { TableStatus?: string; GlobalSecondaryIndexes?: { IndexName?: string; IndexStatus?: string }[] };
  }>;
  describeTimeToLive(input: {
    readonly TableName: string;
  }): Promise<{ TimeToLiveDescription?: { TimeToLiveStatus?: string } }>;
  updateTimeToLive(input: {
    readonly TableName: string;
    readonly TimeToLiveSpecification: { readonly AttributeName: string; readonly Enabled: boolean };
  }): Promise<void>;
}

/**
 * DynamoDB answered with an error. `name` is the AWS error name, namespace removed (e.g.
 * `ConditionalCheckFailedException`, `ProvisionedThroughputExceededException`); `statusCode` is
 * the HTTP status. A call that got no answer (network, timeout) rejects with its own error.
 */
export class DynamoServiceError extends Error {
  override readonly name: string;
  readonly statusCode: number;
  /** A failed condition's item, when the call asked for it (ReturnValuesOnConditionCheckFailure). */
  readonly item?: Item;

  constructor(name: string, statusCode: number, options: { item?: Item; cause?: unknown } = {}) {
    super(`DynamoDB answered ${statusCode} ${name}`, { cause: options.cause });
    this.name = name;
    this.statusCode = statusCode;
    if (options.item) this.item = options.item;
  }
}

export const DYNAMO_ERRORS = {
  conditionalCheckFailed: 'ConditionalCheckFailedException',
  resourceNotFound: 'ResourceNotFoundException',
  resourceInUse: 'ResourceInUseException',
  unknownOperation: 'UnknownOperationException',
} as const;

/** The write's condition did not hold: an expected outcome (another writer got there first). */
export const isConditionFailure = (error: unknown): error is DynamoServiceError =>
  error instanceof DynamoServiceError && error.name === DYNAMO_ERRORS.conditionalCheckFailed;
