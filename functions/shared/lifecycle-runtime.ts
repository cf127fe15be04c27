import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import {
  type CleanupFunctionConfig,
  credentialsOf,
  meetingConfigOf,
  parseCleanupConfig,
} from '../../lib/config/index.js';
import { createLifecycle, type Lifecycle } from '../../lib/lifecycle/create-lifecycle.js';
import { ACCOUNT_TYPE } from '../../lib/meeting/schemas.js';
import type { Log } from '../../lib/shared/log.js';
import { createDynamoLifecycleStore } from '../../lib/store/dynamo-lifecycle-store.js';
import { createDynamoOffboardingStore } from '../../lib/store/dynamo-offboarding-store.js';
import { createDynamoTokenCache } from '../../lib/store/dynamo-token-cache.js';
import { createDynamoClient } from './aws-clients.js';
import { createDocumentClient } from './document-client.js';
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
  const doc = createDocumentClient(createDynamoClient(store.dynamoEndpoint));
  const meeting = connectMeeting({
    config: meetingConfigOf(target, await secrets.read(target.secret)),
    currentCredentials: async () => credentialsOf(target.identity, await secrets.read(target.secret)),
    tokenCache: createDynamoTokenCache({ client: doc, tableName: store.tableName }),
    logger: log,
  });
  return createLifecycle({
    meeting,
    store: createDynamoLifecycleStore({
      client: doc,
      tableName: store.tableName,
      auditRetentionDays: store.auditRetentionDays,
    }),
    offboarding: createDynamoOffboardingStore({ client: doc, tableName: store.tableName }),
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
