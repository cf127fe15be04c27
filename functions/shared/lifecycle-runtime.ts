import { connectMeeting } from '../../lib/auth/connect-meeting.js';
// The functions' own config modules, not lib/config/index.js: the others' schemas are not built here.
import { type CleanupFunctionConfig, parseCleanupConfig } from '../../lib/config/functions.js';
import { credentialsOf, meetingConfigOf } from '../../lib/config/meeting-config.js';
import { createLifecycle, type Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { combineRateLimiters, createAdaptiveRateLimiter } from '../../lib/meeting/rate-limiter.js';
import { ACCOUNT_TYPE } from '../../lib/meeting/schemas.js';
import type { Log } from '../../lib/shared/log.js';
import { createDynamoLifecycleStore } from '../../lib/store/dynamo-lifecycle-store.js';
import { createDynamoOffboardingStore } from '../../lib/store/dynamo-offboarding-store.js';
import { createDynamoRateLimiter } from '../../lib/store/dynamo-rate-limiter.js';
import { createDynamoTokenCache } from '../../lib/store/dynamo-token-cache.js';
import { createDynamo } from './aws-clients.js';
import { createSecretReader, type SecretReaderOptions } from './secrets.js';

/**
 * Wiring shared by the worker and the cleanup function: one Meeting client whose tokens live in
 * the fleet-wide DynamoDB cache, one store. The password or app key is read again (cached up to
 * 5 minutes) before each login, so a rotated secret is used without a restart.
 */
export const buildLifecycle = async (
  config: CleanupFunctionConfig,
  log: Log,
  options: SecretReaderOptions,
): Promise<Lifecycle> => {
  const { meeting: target, store } = config;
  const secrets = createSecretReader(options);
  const dynamo = createDynamo(store.dynamoEndpoint);
  const meetingConfig = meetingConfigOf(target, await secrets.read(target.secret));
  const meeting = connectMeeting({
    config: meetingConfig,
    currentCredentials: async () => credentialsOf(target.identity, await secrets.read(target.secret)),
    tokenCache: createDynamoTokenCache({ client: dynamo, tableName: store.tableName }),
    // MEETING_RATE_LIMIT_PER_MINUTE is the whole fleet's ceiling, kept in the table; each
    // container still slows down on its own when Meeting answers 429s (docs/design.md).
    ...(meetingConfig.rateLimitPerMinute > 0 && {
      rateLimiter: combineRateLimiters(
        createAdaptiveRateLimiter(),
        createDynamoRateLimiter({
          client: dynamo,
          tableName: store.tableName,
          perMinute: meetingConfig.rateLimitPerMinute,
        }),
      ),
    }),
    logger: log,
  });
  return createLifecycle({
    meeting,
    store: createDynamoLifecycleStore({
      client: dynamo,
      tableName: store.tableName,
      auditRetentionDays: store.auditRetentionDays,
    }),
    offboarding: createDynamoOffboardingStore({ client: dynamo, tableName: store.tableName }),
    settings: config.lifecycle,
    accountType: target.identity.mode === 'appId' ? ACCOUNT_TYPE.thirdAccount : ACCOUNT_TYPE.meetingAccount,
    log,
  });
};

/** The cleanup function's wiring (and the operator command's): its schema, parsed once. */
export const createLifecycleRuntime = async (
  env: Record<string, string | undefined>,
  log: Log,
  options: SecretReaderOptions = {},
): Promise<Lifecycle> => buildLifecycle(parseCleanupConfig(env), log, options);
