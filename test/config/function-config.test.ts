import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  parseCleanupConfig,
  parseMeetingConfig,
  parseWebhookFunctionConfig,
  parseWorkerConfig,
} from '../../lib/config/index.js';
import { parseWebhookSecrets } from '../../lib/webhook/secrets.js';
import { thrownBy } from '../helpers/errors.js';
import { SECRET_A, SECRET_B } from '../webhook/oracle.js';

/** The environment serverless.yml gives the worker: secrets are SSM parameter names. */
const workerEnv = {
  TABLE_NAME: 'meeting-lifecycle-dev',
  MEETING_REGION: 'ap-southeast-1',
  MEETING_ENDPOINT: '',
  MEETING_ACCOUNT: 'admin@corp',
  MEETING_PASSWORD_PARAM: '/meeting-lifecycle/dev/meeting-password',
  MEETING_APP_ID: '',
  MEETING_APP_KEY_PARAM: '',
  RETENTION_DAYS: '30',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/dlq.fifo',
  QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/events.fifo',
};
const webhookEnv = {
  TABLE_NAME: 'meeting-lifecycle-dev',
  QUEUE_URL: 'https://sqs.ap-southeast-1.amazonaws.com/123456789012/events.fifo',
  WEBHOOK_SECRETS_PARAM: '/meeting-lifecycle/dev/webhook-secrets',
  AWS_LAMBDA_FUNCTION_NAME: 'meeting-lifecycle-dev-hrWebhook',
};

const configError = (parse: () => unknown): ConfigError => thrownBy(parse, ConfigError);

describe('function configuration (one schema per function)', () => {
  it('parses the worker environment as deployed: secrets stay SSM references, settings get defaults', () => {
    const config = parseWorkerConfig(workerEnv);
    expect(config.meeting).toMatchObject({
      endpoint: 'https://api-intl.meeting.huaweicloud.com',
      dialect: 'current',
      identity: { mode: 'account', account: 'admin@corp' },
      secret: {
        source: 'parameter',
        setting: 'MEETING_PASSWORD_PARAM',
        parameter: '/meeting-lifecycle/dev/meeting-password',
      },
      timeoutMs: 10_000,
    });
    expect(config.lifecycle.retentionDays).toBe(30);
    expect(config.deadLetterQueueUrl).toBe(workerEnv.DEAD_LETTER_QUEUE_URL);
    expect(config.queueUrl).toBe(workerEnv.QUEUE_URL);
    expect(config.store).toEqual({ tableName: 'meeting-lifecycle-dev', auditRetentionDays: 400 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('the worker needs its dead-letter queue and its own queue (to hand events back); cleanup neither', () => {
    const { DEAD_LETTER_QUEUE_URL: _dlq, QUEUE_URL: _queue, ...cleanupEnv } = workerEnv;
    expect(configError(() => parseWorkerConfig(cleanupEnv)).settings).toEqual([
      'DEAD_LETTER_QUEUE_URL',
      'QUEUE_URL',
    ]);
    expect(parseCleanupConfig(cleanupEnv).meeting.identity).toEqual({
      mode: 'account',
      account: 'admin@corp',
    });
  });

  it('parses the webhook environment: queue, function name, secrets from SSM', () => {
    const config = parseWebhookFunctionConfig(webhookEnv, parseWebhookSecrets);
    expect(config).toMatchObject({
      queueUrl: webhookEnv.QUEUE_URL,
      functionName: 'meeting-lifecycle-dev-hrWebhook',
      webhook: { maxBodyBytes: 258_048, toleranceSeconds: 300, maxEvents: 100 },
    });
    expect(config.webhook.secrets).toMatchObject({ source: 'parameter', setting: 'WEBHOOK_SECRETS_PARAM' });
    const { AWS_LAMBDA_FUNCTION_NAME: _name, ...local } = webhookEnv;
    expect(parseWebhookFunctionConfig(local, parseWebhookSecrets).functionName).toBe('hr-webhook');
  });

  it('webhook secrets given as a value are Secrets, checked like the SSM value will be', () => {
    const config = parseWebhookFunctionConfig(
      { ...webhookEnv, WEBHOOK_SECRETS_PARAM: '', WEBHOOK_SECRETS: `${SECRET_A} ${SECRET_B}` },
      parseWebhookSecrets,
    );
    const secrets = config.webhook.secrets;
    expect(secrets.source === 'value' && secrets.value.map((s) => s.reveal())).toEqual([SECRET_A, SECRET_B]);
    const printed = `${JSON.stringify(config)} ${inspect(config, { depth: 10 })}`;
    expect(printed).not.toContain(SECRET_A.slice(6));

    const fromSsm = parseWebhookFunctionConfig(webhookEnv, parseWebhookSecrets).webhook.secrets;
    if (fromSsm.source !== 'parameter') throw new Error('expected a parameter');
    expect(fromSsm.parse(SECRET_B).map((s) => s.reveal())).toEqual([SECRET_B]);
    const bad = configError(() => fromSsm.parse('whsec_dG9vLXNob3J0'));
    expect(bad.message).toBe(
      'invalid configuration: WEBHOOK_SECRETS_PARAM (/meeting-lifecycle/dev/webhook-secrets): webhook secret entry 1 of 1 decodes to 9 bytes: expected whsec_ followed by base64 of 24-64 bytes',
    );
  });

  it('reports every bad setting in one line by name, never a value', () => {
    const leaked = 'whsec_c2VjcmV0LXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw';
    const webhook = configError(() =>
      parseWebhookFunctionConfig(
        {
          TABLE_NAME: 'x',
          QUEUE_URL: 'not a url',
          WEBHOOK_SECRETS: leaked,
          WEBHOOK_TOLERANCE_SECONDS: 'soon',
        },
        parseWebhookSecrets,
      ),
    );
    expect(webhook.settings).toEqual([
      'TABLE_NAME',
      'WEBHOOK_SECRETS',
      'WEBHOOK_TOLERANCE_SECONDS',
      'QUEUE_URL',
    ]);
    expect(webhook.message).not.toContain('\n');
    expect(webhook.message).not.toContain(leaked.slice(6, 20));
    expect(webhook.message).toMatch(
      /^invalid configuration: TABLE_NAME: .+; WEBHOOK_SECRETS: webhook secret entry 1 of 1 is not valid: .+; /,
    );

    const password = 'Very$ecret-Passw0rd';
    const worker = configError(() =>
      parseWorkerConfig({
        MEETING_REGION: 'mars-1',
        MEETING_PASSWORD: password,
        MEETING_APP_KEY_PARAM: '/x/app-key',
        RETENTION_DAYS: '-1',
      }),
    );
    expect(worker.settings).toEqual([
      'TABLE_NAME',
      'MEETING_REGION',
      'RETENTION_DAYS',
      'DEAD_LETTER_QUEUE_URL',
      'QUEUE_URL',
      'MEETING_ACCOUNT', // a password and an app key: both auth modes at once
    ]);
    expect(worker.message).not.toContain(password);
  });

  it('checks the Meeting combinations: a target, one auth mode, each with its secret, value or parameter', () => {
    const base = {
      TABLE_NAME: 'meeting-lifecycle-dev',
      DEAD_LETTER_QUEUE_URL: workerEnv.DEAD_LETTER_QUEUE_URL,
      QUEUE_URL: workerEnv.QUEUE_URL,
    };
    const problems = (env: Record<string, string>) =>
      configError(() => parseWorkerConfig({ ...base, ...env })).message;
    expect(problems({ MEETING_ACCOUNT: 'a', MEETING_PASSWORD: 'p' })).toBe(
      'invalid configuration: MEETING_ENDPOINT: set MEETING_ENDPOINT or MEETING_REGION',
    );
    expect(problems({ MEETING_REGION: 'cn-north-4' })).toContain(
      'MEETING_ACCOUNT: set either MEETING_ACCOUNT',
    );
    expect(problems({ MEETING_REGION: 'cn-north-4', MEETING_ACCOUNT: 'a' })).toBe(
      'invalid configuration: MEETING_PASSWORD: MEETING_ACCOUNT needs MEETING_PASSWORD or MEETING_PASSWORD_PARAM',
    );
    expect(
      problems({
        MEETING_REGION: 'cn-north-4',
        MEETING_ACCOUNT: 'a',
        MEETING_PASSWORD: 'p',
        MEETING_PASSWORD_PARAM: '/p',
      }),
    ).toContain('MEETING_PASSWORD: set MEETING_PASSWORD or MEETING_PASSWORD_PARAM, not both');
    expect(problems({ MEETING_REGION: 'cn-north-4', MEETING_APP_KEY_PARAM: '/k' })).toBe(
      'invalid configuration: MEETING_APP_ID: MEETING_APP_KEY needs MEETING_APP_ID',
    );
    const appId = parseWorkerConfig({
      ...base,
      MEETING_ENDPOINT: 'http://127.0.0.1:8088/',
      MEETING_APP_ID: 'app',
      MEETING_APP_KEY_PARAM: '/k',
      MEETING_CORP_ID: 'corp',
    });
    expect(appId.meeting.endpoint).toBe('http://127.0.0.1:8088');
    expect(appId.meeting.identity).toEqual({ mode: 'appId', appId: 'app', corpId: 'corp' });
  });

  it('tools parse the Meeting settings alone, with the secret as a value', () => {
    const config = parseMeetingConfig({
      MEETING_REGION: 'cn-north-4',
      MEETING_ACCOUNT: 'a',
      MEETING_PASSWORD: 'p',
    });
    expect(config.credentials.mode === 'account' && config.credentials.password.reveal()).toBe('p');
    expect(JSON.stringify(config)).not.toContain('"p"');
    expect(
      configError(() =>
        parseMeetingConfig({
          MEETING_REGION: 'cn-north-4',
          MEETING_ACCOUNT: 'a',
          MEETING_PASSWORD_PARAM: '/p',
        }),
      ).message,
    ).toBe('invalid configuration: MEETING_PASSWORD_PARAM: not read here; give the value itself');
  });
});
