import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createBambooHrHandler } from '../../functions/hr-bamboohr/handler.js';
import { createBambooHrRuntime } from '../../functions/shared/connector-runtime.js';
import { createLifecycleRuntime } from '../../functions/shared/lifecycle-runtime.js';
import { SECRET_MAX_AGE_SECONDS } from '../../functions/shared/secrets.js';
import { createWebhookRuntime } from '../../functions/shared/webhook-runtime.js';
import { createTokenProvider } from '../../lib/auth/token-provider.js';
import { EVENT_TYPES } from '../../lib/events/schemas.js';
import { silentLog } from '../../lib/shared/log.js';
import { Secret } from '../../lib/shared/secret.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { startHttpHost } from '../../local/http-host.js';
import { createLambdaContext } from '../../local/lambda-context.js';
import { createLocalFifoQueue } from '../../local/local-fifo-queue.js';
import { startBambooHrSimulator } from '../../simulator/bamboohr.js';
import { DEMO_CREDENTIALS, type MeetingSimulator, startMeetingSimulator } from '../../simulator/index.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';
import { type FakeSsm, startFakeSsm } from '../helpers/fake-ssm.js';
import { SECRET_A, SECRET_B, specSignature } from '../webhook/oracle.js';

/**
 * Secrets come from SSM (Powertools Parameters, real SSM client, a fake SSM endpoint over HTTP)
 * and are read again after at most SECRET_MAX_AGE_SECONDS: a warm function picks up a rotation
 * with no restart. The clock is faked (Date only), so nothing here waits for real time.
 */
let ssm: FakeSsm;
let dynamo: TestDynamo;
let simulator: MeetingSimulator;
beforeAll(async () => {
  [ssm, dynamo, simulator] = await Promise.all([startFakeSsm(), startDynalite(), startMeetingSimulator()]);
});
afterAll(async () => {
  await Promise.all([ssm.close(), dynamo.close(), simulator.close()]);
});
afterEach(() => {
  vi.useRealTimers();
});

const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);
const events = createHrEventFactory({ idPrefix: 'rotation' });

/** A delivery signed with `secret` by the spec's own formula (test/webhook/oracle.ts). */
const delivery = (secret: string) => {
  const body = JSON.stringify(events(EVENT_TYPES.hired, 'R1', sampleMember('R1', 1)));
  const id = `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': specSignature(secret, id, timestamp, body),
    },
    rawBody: body,
    invocation: createLambdaContext('hr-webhook'),
  };
};

describe('secret rotation reaches warm functions', () => {
  it('rejects a webhook secret revoked in SSM once the max age has passed, without a restart', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const parameter = '/meeting-lifecycle/test/webhook-secrets';
    ssm.set(parameter, `${SECRET_A} ${SECRET_B}`);
    const receive = await createWebhookRuntime(
      {
        TABLE_NAME: dynamo.tableName,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        QUEUE_URL: 'local:events.fifo',
        WEBHOOK_SECRETS_PARAM: parameter,
      },
      silentLog,
      { sink: createLocalFifoQueue({ name: 'events.fifo' }), parameters: async () => ssm.provider() },
    );
    expect((await receive(delivery(SECRET_B))).status).toBe(202);

    ssm.set(parameter, SECRET_A); // B revoked
    later(SECRET_MAX_AGE_SECONDS - 1);
    expect((await receive(delivery(SECRET_B))).status).toBe(202); // still cached: the documented bound
    later(2);
    const revoked = await receive(delivery(SECRET_B));
    expect(revoked).toMatchObject({ status: 401, body: { error: { code: 'bad_signature' } } });
    expect((await receive(delivery(SECRET_A))).status).toBe(202);

    const reads = ssm.calls.filter((c) => c.name === parameter);
    expect(reads).toEqual([
      { name: parameter, withDecryption: true },
      { name: parameter, withDecryption: true },
    ]);
  });

  it('uses a rotated Meeting password on the next login, without a restart', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const parameter = '/meeting-lifecycle/test/meeting-password';
    ssm.set(parameter, 'Old#Password-1'); // already rotated on the Meeting side
    const lifecycle = await createLifecycleRuntime(
      {
        TABLE_NAME: dynamo.tableName,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        MEETING_ENDPOINT: simulator.url,
        MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
        MEETING_PASSWORD_PARAM: parameter,
        MEETING_MAX_ATTEMPTS: '1',
      },
      silentLog,
      { parameters: async () => ssm.provider() },
    );
    await expect(lifecycle.context.meeting.getDepartment('1')).rejects.toMatchObject({
      name: 'MeetingAuthError',
    });

    ssm.set(parameter, DEMO_CREDENTIALS.password);
    later(SECRET_MAX_AGE_SECONDS + 1);
    await expect(lifecycle.context.meeting.getDepartment('1')).resolves.toBeDefined();
  });

  it('a rotated secret may never change who logs in: the token cache key stays that identity', async () => {
    const provider = createTokenProvider({
      endpoint: simulator.url,
      dialect: 'current',
      credentials: { mode: 'account', account: DEMO_CREDENTIALS.account, password: new Secret('a') },
      currentCredentials: async () => ({
        mode: 'account',
        account: 'someone-else',
        password: new Secret('b'),
      }),
    });
    const attempts = simulator.counters().authAttempts;
    await expect(provider.getToken()).rejects.toThrow('current credentials name another identity');
    expect(simulator.counters().authAttempts).toBe(attempts);
  });

  it('stops accepting a BambooHR webhook key revoked in SSM once the max age has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const bamboohr = await startBambooHrSimulator();
    const parameter = '/meeting-lifecycle/test/bamboohr-webhook-keys';
    const newKey = 'a-new-private-key-for-the-rotation';
    ssm.set(parameter, `${bamboohr.privateKey} ${newKey}`);
    const receiver = await createBambooHrRuntime(
      {
        TABLE_NAME: dynamo.tableName,
        DYNAMODB_ENDPOINT: dynamo.endpoint,
        QUEUE_URL: 'local:events.fifo',
        DEAD_LETTER_QUEUE_URL: 'local:dlq.fifo',
        BAMBOOHR_ENABLED: 'true',
        BAMBOOHR_COMPANY_DOMAIN: 'simulated',
        BAMBOOHR_API_BASE_URL: bamboohr.url,
        BAMBOOHR_WEBHOOK_KEYS_PARAM: parameter,
        BAMBOOHR_API_KEY: bamboohr.apiKey,
      },
      silentLog,
      {
        sink: createLocalFifoQueue({ name: 'events.fifo' }),
        deadLetters: createLocalFifoQueue({ name: 'dlq.fifo' }),
        parameters: async () => ssm.provider(),
      },
    );
    const path = '/hr/bamboohr';
    const handler = createBambooHrHandler(async () => receiver);
    const host = await startHttpHost([{ method: 'POST', path, functionName: 'hrBambooHr', handler }]);
    try {
      bamboohr.setWebhookUrl(`${host.url}${path}`);
      expect((await bamboohr.send('employee.deleted', '101')).status).toBe(200);
      ssm.set(parameter, newKey); // the simulator's key revoked
      later(SECRET_MAX_AGE_SECONDS + 1);
      expect((await bamboohr.send('employee.deleted', '102')).status).toBe(401);
      expect((await bamboohr.send('employee.deleted', '103', { privateKey: newKey })).status).toBe(200);
    } finally {
      await host.close();
      await bamboohr.close();
    }
  });
});
