import { z } from 'zod';
import { int } from './settings.js';

/** Built when parsed (a function's config is parsed once, on its first invocation), not at module load. */
export const storeShape = () => ({
  TABLE_NAME: z.string().min(3).max(255),
  /** Local runs only (dynalite); unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  /** Days each audit entry (one employee's history, `npm run history`) is kept. */
  AUDIT_RETENTION_DAYS: int(400, 1, 3650),
});

export interface StoreConfig {
  readonly tableName: string;
  readonly dynamoEndpoint?: string;
  /** Days each audit entry is kept before DynamoDB TTL removes it. */
  readonly auditRetentionDays: number;
}

export const storeConfigOf = (e: z.output<z.ZodObject<ReturnType<typeof storeShape>>>): StoreConfig =>
  Object.freeze({
    tableName: e.TABLE_NAME,
    ...(e.DYNAMODB_ENDPOINT && { dynamoEndpoint: e.DYNAMODB_ENDPOINT }),
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
  });
