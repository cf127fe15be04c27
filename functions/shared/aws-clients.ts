import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * DynamoDB client for the function's region, or for a local endpoint (dynalite), which needs a
 * region and placeholder credentials but checks neither.
 */
export const createDynamoClient = (endpoint?: string) =>
  new DynamoDBClient(
    endpoint
      ? { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {},
  );
