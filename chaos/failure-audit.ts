import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';

/**
 * Why records failed during the run, read from the audit entries the worker writes for every
 * failed or dead-lettered event (kills never reach the worker, so they are counted separately).
 * Grouped by error class, plus the Meeting API for Meeting errors ("MeetingError: updateMember").
 */
export const failureReasons = async (doc: DynamoDBDocumentClient, tableName: string) => {
  const counts: Record<string, number> = {};
  const pages = paginateScan(
    { client: doc },
    {
      TableName: tableName,
      // Every outcome is audited (applied ones too): only failures count here.
      FilterExpression: '#type = :audit AND #outcome IN (:failed, :dead)',
      ExpressionAttributeNames: { '#type': 'type', '#outcome': 'outcome' },
      ExpressionAttributeValues: { ':audit': 'audit', ':failed': 'failed', ':dead': 'dead-lettered' },
    },
  );
  for await (const page of pages) {
    for (const item of page.Items ?? []) {
      const reason = typeof item.reason === 'string' ? item.reason : 'no reason';
      const [name = '', api = ''] = reason.split(':').map((part) => part.trim());
      const key = name.startsWith('Meeting') && api ? `${name}: ${api}` : name;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
};
