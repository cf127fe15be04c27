import dynamodb from '@aws-lite/dynamodb';
import { type AwsLiteMethods, type AwsTarget, abortable, lazyAwsClient } from '../shared/aws-client.js';
import { type DynamoAdminPort, type DynamoPort, DynamoServiceError, type Item } from './dynamo-port.js';

type PluginMethod = {
  readonly error?: (params: { error?: Record<string, unknown> }, utils: PluginUtils) => unknown;
};
type PluginUtils = { awsjsonUnmarshall(value: unknown, options: { config: unknown }): Item; config: unknown };

/**
 * @aws-lite/dynamodb, with one addition: PutItem unmarshals the item a failed condition returns
 * (ReturnValuesOnConditionCheckFailure), which the plugin leaves in DynamoDB's wire format.
 */
const plugin = (() => {
  const methods = dynamodb.methods as Record<string, PluginMethod>;
  const put = methods.PutItem!;
  return {
    ...dynamodb,
    methods: {
      ...methods,
      PutItem: {
        ...put,
        error: (params: { error?: Record<string, unknown> }, utils: PluginUtils) => {
          const item = params.error?.Item;
          if (item && typeof item === 'object') {
            params.error!.Item = utils.awsjsonUnmarshall(item, { config: utils.config });
          }
          return put.error ? put.error(params, utils) : params;
        },
      },
    },
  };
})();

/** aws-lite's errors: an answer carries `statusCode` and the AWS error name (namespace removed by the plugin). */
const toPortError = (error: unknown): unknown => {
  const e = error as { statusCode?: unknown; name?: unknown; Item?: unknown } | null;
  if (typeof e?.statusCode !== 'number' || typeof e.name !== 'string') return error;
  const item = e.Item && typeof e.Item === 'object' ? (e.Item as Item) : undefined;
  return new DynamoServiceError(e.name, e.statusCode, { ...(item && { item }), cause: error });
};

/**
 * DynamoPort (and, for local runs, DynamoAdminPort) over aws-lite's DynamoDB plugin. Values are
 * marshalled by aws-lite as the AWS SDK's document client does (undefined values left out,
 * numbers as JS numbers); the client is created on the first call.
 */
export const createAwsLiteDynamo = (target: AwsTarget = {}): DynamoPort & DynamoAdminPort => {
  const client = lazyAwsClient(target, [plugin], { awsjsonMarshall: { removeUndefinedValues: true } });
  const call = async <T>(method: string, input: object, signal?: AbortSignal): Promise<T> => {
    const api = ((await client()) as unknown as { DynamoDB: AwsLiteMethods }).DynamoDB;
    try {
      // The plugin writes into what it is given (BatchGetItem's keys): it gets its own copy.
      return (await abortable(api[method]!({ ...input }), signal, target.callTimeoutMs)) as T;
    } catch (error) {
      throw toPortError(error);
    }
  };

  return {
    get: (input) => call('GetItem', input),
    put: async (input) => {
      await call('PutItem', input);
    },
    delete: async (input) => {
      await call('DeleteItem', input);
    },
    update: (input, options) => call('UpdateItem', input, options?.signal),
    query: async (input) => {
      const out = await call<{ Items?: Item[]; Count?: number; LastEvaluatedKey?: Record<string, unknown> }>(
        'Query',
        input,
      );
      return {
        Items: out.Items ?? [],
        Count: out.Count ?? 0,
        ...(out.LastEvaluatedKey && { LastEvaluatedKey: out.LastEvaluatedKey }),
      };
    },
    batchGet: async (input) => {
      const RequestItems = Object.fromEntries(
        Object.entries(input.RequestItems).map(([table, request]) => [
          table,
          { ...request, Keys: [...request.Keys] },
        ]),
      );
      const out = await call<{
        Responses?: Record<string, Item[]>;
        UnprocessedKeys?: Record<string, { Keys: Item[] }>;
      }>('BatchGetItem', { RequestItems });
      return { Responses: out.Responses ?? {}, UnprocessedKeys: out.UnprocessedKeys ?? {} };
    },
    batchWrite: async (input) => {
      const out = await call<{ UnprocessedItems?: Record<string, never[]> }>('BatchWriteItem', input);
      return { UnprocessedItems: out.UnprocessedItems ?? {} };
    },
    createTable: async (input) => {
      await call('CreateTable', input);
    },
    describeTable: (input) => call('DescribeTable', input),
    describeTimeToLive: (input) => call('DescribeTimeToLive', input),
    updateTimeToLive: async (input) => {
      await call('UpdateTimeToLive', input);
    },
  };
};
