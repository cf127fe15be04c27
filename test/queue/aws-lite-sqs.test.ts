import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsLiteSqs } from '../../lib/queue/aws-lite-sqs.js';
import { localAwsTarget } from '../../lib/shared/aws-client.js';
import { type FakeSqs, startFakeSqs } from '../helpers/fake-sqs.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

/**
 * Where the functions' AWS client (aws-lite) takes its credentials and region: in Lambda from the
 * environment the runtime sets, never from files; for a local endpoint from its placeholders,
 * with nothing read from the machine, so a machine without ~/.aws (or with a broken one) works.
 */
const tempDir = useTempDirs('aws-lite-');
const ENV_KEYS = [
  'HOME',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_ENDPOINT_URL',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
];
const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
const setEnv = (values: Record<string, string>) => {
  for (const key of ENV_KEYS) delete process.env[key];
  Object.assign(process.env, values);
};

/** A home whose ~/.aws has no default profile: reading it would fail ("Profile not found"). */
const homeWithForeignProfile = () => {
  const home = tempDir();
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'credentials'),
    '[someone-else]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = x\n',
  );
  return home;
};

let sqs: FakeSqs;
beforeAll(async () => {
  sqs = await startFakeSqs();
});
afterAll(() => sqs.close());
afterEach(() => {
  sqs.reset();
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const send = (client: ReturnType<typeof createAwsLiteSqs>) => {
  sqs.on('GetQueueUrl', () => ({ QueueUrl: 'https://sqs.example/000000000000/events.fifo' }));
  return client.getQueueUrl({ QueueName: 'events.fifo' });
};

describe('the functions\u2019 AWS client', () => {
  it('signs with the credentials and region of the Lambda environment, session token included, and reads no file', async () => {
    setEnv({
      HOME: homeWithForeignProfile(),
      AWS_LAMBDA_FUNCTION_NAME: 'meeting-lifecycle-dev-hrWebhook',
      AWS_ACCESS_KEY_ID: 'ASIALAMBDAROLE',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-session-token',
      AWS_REGION: 'eu-central-1',
      // Only to reach the stand-in instead of sqs.eu-central-1.amazonaws.com.
      AWS_ENDPOINT_URL: sqs.url,
    });
    expect(await send(createAwsLiteSqs())).toEqual({
      QueueUrl: 'https://sqs.example/000000000000/events.fifo',
    });
    const [headers] = sqs.headers('GetQueueUrl');
    expect(String(headers?.authorization)).toMatch(
      /^AWS4-HMAC-SHA256 Credential=ASIALAMBDAROLE\/\d{8}\/eu-central-1\/sqs\/aws4_request, SignedHeaders=.*x-amz-security-token.*, Signature=[0-9a-f]{64}$/,
    );
    expect(headers?.['x-amz-security-token']).toBe('role-session-token');
    expect(headers?.['x-amz-target']).toBe('AmazonSQS.GetQueueUrl');
  });

  it('talks to a local endpoint with placeholder credentials on a machine without ~/.aws, or with a broken one', async () => {
    for (const home of [tempDir(), homeWithForeignProfile()]) {
      setEnv({ HOME: home });
      await send(createAwsLiteSqs(localAwsTarget(sqs.url)));
      const headers = sqs.headers('GetQueueUrl').at(-1);
      expect(String(headers?.authorization)).toMatch(/Credential=local\/\d{8}\/us-east-1\/sqs\/aws4_request/);
    }
  });

  it('fails the call, not the module load, where no credentials can be found', async () => {
    // No metadata service either (vitest.config.ts sets this for every test; said here too).
    setEnv({
      HOME: tempDir(),
      AWS_REGION: 'eu-central-1',
      AWS_ENDPOINT_URL: sqs.url,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    const client = createAwsLiteSqs();
    await expect(send(client)).rejects.toThrow(/credentials/i);
    // A later call tries again (the failed creation is not kept): credentials have appeared.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDLATER', AWS_SECRET_ACCESS_KEY: 'x' });
    await send(client);
    expect(String(sqs.headers('GetQueueUrl').at(-1)?.authorization)).toContain('Credential=AKIDLATER/');
  });
});
