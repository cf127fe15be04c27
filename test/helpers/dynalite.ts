import { randomUUID } from 'node:crypto';
import { type LocalDynamo, startLocalDynamo } from '../../local/dynamo.js';

/** A fresh in-process dynalite on 127.0.0.1:0 with a fresh lifecycle table. Call close() in afterAll. */
export const startDynalite = (): Promise<LocalDynamo> =>
  startLocalDynamo({ tableName: `test-${randomUUID().slice(0, 8)}` });

export type { LocalDynamo as TestDynamo };
