import { z } from 'zod';
import { parseSettings } from './errors.js';
import { type LifecycleSettings, lifecycleSettingsOf, lifecycleShape } from './lifecycle-config.js';
import { checkMeeting, type MeetingTarget, meetingShape, meetingTargetOf } from './meeting-config.js';
import { ALWAYS } from './settings.js';
import { type StoreConfig, storeConfigOf, storeShape } from './store-config.js';
import { queueUrl } from './webhook-function.js';

export * from './webhook-function.js';

/**
 * One schema per function, composed from the shared parts, parsed once per cold start into a
 * frozen config; a bad environment is one ConfigError naming every bad setting. The composed
 * schemas are built when parsed, not at module load.
 */
type Env = Record<string, string | undefined>;

export interface CleanupFunctionConfig {
  readonly store: StoreConfig;
  readonly meeting: MeetingTarget;
  readonly lifecycle: LifecycleSettings;
}

export interface WorkerFunctionConfig extends CleanupFunctionConfig {
  /** Where permanently failing events go at once (the FIFO DLQ, set by serverless.yml). */
  readonly deadLetterQueueUrl: string;
  /** The worker's own queue, to hand events back with a delay (ChangeMessageVisibility). */
  readonly queueUrl: string;
}

const lifecycleFunction = <Extra extends z.core.$ZodLooseShape>(extra: Extra) =>
  z
    .object({ ...storeShape(), ...meetingShape(), ...lifecycleShape(), ...extra })
    .superRefine(checkMeeting, ALWAYS);

export const parseCleanupConfig = (env: Env): CleanupFunctionConfig =>
  parseSettings(
    lifecycleFunction({}).transform((e) =>
      Object.freeze({
        store: storeConfigOf(e),
        meeting: meetingTargetOf(e),
        lifecycle: lifecycleSettingsOf(e),
      }),
    ),
    env,
  );

export const parseWorkerConfig = (env: Env): WorkerFunctionConfig =>
  parseSettings(
    lifecycleFunction({ DEAD_LETTER_QUEUE_URL: queueUrl, QUEUE_URL: queueUrl }).transform((e) =>
      Object.freeze({
        store: storeConfigOf(e),
        meeting: meetingTargetOf(e),
        lifecycle: lifecycleSettingsOf(e),
        deadLetterQueueUrl: e.DEAD_LETTER_QUEUE_URL,
        queueUrl: e.QUEUE_URL,
      }),
    ),
    env,
  );
