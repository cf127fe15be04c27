import { z } from 'zod';

export const storeShape = {
  TABLE_NAME: z.string().min(3).max(255),
  /** Local runs only (dynalite); unset in AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
};

export interface StoreConfig {
  readonly tableName: string;
  readonly dynamoEndpoint?: string;
}

export const storeConfigOf = (e: z.output<z.ZodObject<typeof storeShape>>): StoreConfig =>
  Object.freeze({
    tableName: e.TABLE_NAME,
    ...(e.DYNAMODB_ENDPOINT && { dynamoEndpoint: e.DYNAMODB_ENDPOINT }),
  });
