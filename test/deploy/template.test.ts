import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { WRAP_UP_MS } from '../../functions/lifecycle-worker/handler.js';
import { MEETING_TIMEOUT_DEFAULT_MS, MEETING_TIMEOUT_MAX_MS } from '../../lib/config/meeting-config.js';
import { CLEANUP_LEASE_TTL_MS } from '../../lib/lifecycle/cleanup.js';
import { APPLY_OUTCOME } from '../../lib/lifecycle/types.js';
import { ATTEMPT_MARGIN_MS } from '../../lib/meeting/caller.js';
import {
  MAX_RECEIVE_COUNT,
  minimumRetrySpanMs,
  OUTAGE_TO_SURVIVE_MS,
  REDELIVERY,
  recoveryWaitMs,
} from '../../lib/queue/redelivery.js';
import { idempotencyPk } from '../../lib/store/keys.js';
import { tableDefinition } from '../../lib/store/table.js';
import { DEPLOYED_WORKER_TIMEOUT_MS } from '../../local/stack.js';
import { packageEnv, packageService, type Resource, root, type Template } from './package.js';

/**
 * Checks of the template `npm run package` builds (osls, offline): what CloudFormation will
 * really get, after serverless has resolved every variable and added its own resources.
 */

// --- The settings the README documents, and which functions read each table ----------------------

interface Setting {
  readonly name: string;
  readonly table: string;
  /** serverless.yml sets it itself (a queue URL, the table name): no operator value. */
  readonly fixed: boolean;
  /** A secret: in AWS its value comes from the SSM parameter named by `<name>_PARAM`. */
  readonly secret: boolean;
}

const readme = readFileSync(join(root, 'README.md'), 'utf8');
/** The functions that read each table of README.md "Configuration". */
const READERS: Record<string, readonly string[]> = {
  'Meeting target': ['lifecycleWorker', 'cleanup'],
  Webhook: ['hrWebhook'],
  Lifecycle: ['lifecycleWorker', 'cleanup'],
};

const documentedSettings = (): Setting[] => {
  const section = readme.slice(
    readme.indexOf('\n## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('\n## Configuration') + 1),
  );
  const settings: Setting[] = [];
  let table = '';
  for (const line of section.split('\n')) {
    const label = /^\*\*(.+?)\*\*/.exec(line);
    if (label) table = label[1]!;
    if (!line.startsWith('|') || /^\|\s*(setting|-)/.test(line)) continue;
    const [first = '', meaning = ''] = line.split('|').slice(1);
    for (const [, name] of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) {
      settings.push({
        name: name!,
        table,
        fixed: meaning.includes('set by serverless.yml'),
        secret: readme.includes(`\`${name}_PARAM\``),
      });
    }
  }
  return settings;
};
const settings = documentedSettings();

/** A distinct value per documented setting, so the template shows where each one went. */
const sentinel = (name: string) => `sentinel-${name.toLowerCase()}`;
const sentinels = Object.fromEntries(
  settings
    .filter((s) => !s.fixed)
    .map((s) => (s.secret ? [`${s.name}_PARAM`, `/sentinel/${s.name}`] : [s.name, sentinel(s.name)])),
);

// --- The packaged template ------------------------------------------------------------------------

let template: Template;
let resources: Record<string, Resource>;
const settingsUsed = { ...packageEnv(), ...sentinels };

beforeAll(() => {
  const result = packageService(settingsUsed);
  expect(result.status, result.output).toBe(0);
  template = result.template!;
  resources = template.Resources;
}, 240_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const functionResource = (name: string) =>
  resources[`${name.charAt(0).toUpperCase()}${name.slice(1)}LambdaFunction`]!;
const functionNames = () =>
  ofType('AWS::Lambda::Function').map(([id]) => {
    const base = id.replace(/LambdaFunction$/, '');
    return `${base.charAt(0).toLowerCase()}${base.slice(1)}`;
  });
const environmentOf = (name: string) =>
  (functionResource(name).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const roleOf = (name: string) =>
  (functionResource(name).Properties.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]!;
type Statement = { Action: string[]; Resource: unknown; Condition?: Record<string, Record<string, unknown>> };
const statementsOf = (role: string) =>
  (resources[role]!.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
/** Every string in the template with the key it sits under. */
const strings = (node: unknown, key = ''): { key: string; value: string }[] =>
  typeof node === 'string'
    ? [{ key, value: node }]
    : Array.isArray(node)
      ? node.flatMap((item) => strings(item, key))
      : node && typeof node === 'object'
        ? Object.entries(node).flatMap(([k, v]) => strings(v, k))
        : [];

describe('settings', () => {
  it('reads the README tables (the check below depends on them)', () => {
    expect(settings.length).toBeGreaterThan(20);
    expect(new Set(settings.map((s) => s.table))).toEqual(new Set(Object.keys(READERS)));
    expect(
      settings
        .filter((s) => s.secret)
        .map((s) => s.name)
        .sort(),
    ).toEqual(['MEETING_APP_KEY', 'MEETING_PASSWORD', 'WEBHOOK_SECRETS'].sort());
  });

  it.each(Object.entries(READERS).flatMap(([table, fns]) => fns.map((fn) => [table, fn] as const)))(
    'every %s setting the README documents reaches %s as given',
    (table, fn) => {
      const env = environmentOf(fn);
      const missing: string[] = [];
      for (const s of settings.filter((setting) => setting.table === table)) {
        const key = s.secret ? `${s.name}_PARAM` : s.name;
        if (s.secret) expect(env, `${fn}: ${s.name} is a secret`).not.toHaveProperty(s.name);
        if (!(key in env)) missing.push(key);
        else if (!s.fixed && !(s.secret && s.table === 'Webhook')) {
          expect(env[key], `${fn} ${key}`).toBe(settingsUsed[key]);
        }
      }
      expect(missing, `${fn} lacks documented settings`).toEqual([]);
    },
  );

  it('stops a deploy that lacks the Meeting target, login, secret or the alarm e-mail, before anything reaches AWS', () => {
    const result = packageService({});
    expect(result.status).not.toBe(0);
    for (const required of ['meetingTarget', 'meetingIdentity', 'meetingSecret', 'alarmEmail'])
      expect(result.output).toContain(`Cannot resolve variable at "custom.required.${required}"`);
  }, 120_000);

  it('deploys to AWS_REGION when no --region is given (the region of the SSM parameters and the commands)', () => {
    const result = packageService({ ...packageEnv(), AWS_REGION: 'eu-west-1' });
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain('for stage dev (eu-west-1)');
  }, 240_000);

  it('stops a deploy whose required setting is set but empty, naming the setting', () => {
    const result = packageService({ ...packageEnv(), ALARM_EMAIL: '', MEETING_ACCOUNT: '  ' });
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('custom.required.alarmEmail (env:ALARM_EMAIL)');
    expect(result.output).toContain('custom.required.meetingIdentity');
    expect(result.output).not.toContain('custom.required.meetingTarget');
  }, 120_000);

  it('never puts a secret value in an environment, only the name of its SSM parameter', () => {
    for (const fn of functionNames()) {
      const keys = Object.keys(environmentOf(fn));
      for (const s of settings.filter((setting) => setting.secret)) expect(keys).not.toContain(s.name);
    }
    expect(environmentOf('hrWebhook').WEBHOOK_SECRETS_PARAM).toBe('/meeting-lifecycle/dev/webhook-secrets');
  });
});

describe('ARNs and URLs', () => {
  it('use the partition and URL suffix of the region deployed to; amazonaws.com only in service principals', () => {
    const all = strings(template);
    expect(all.filter((s) => s.value.includes('arn:aws:'))).toEqual([]);
    const amazonaws = all.filter((s) => s.value.includes('amazonaws.com'));
    expect(amazonaws.length).toBeGreaterThan(0);
    for (const s of amazonaws) {
      expect(s.key).toMatch(/^(Service|Principal)$/);
      expect(s.value).toMatch(/^[a-z0-9-]+\.amazonaws\.com$/);
    }
    const urls = Object.values(template.Outputs ?? {}).filter((o) =>
      JSON.stringify(o).includes('execute-api'),
    );
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(JSON.stringify(url)).toContain('AWS::URLSuffix');
  });
});

describe('the webhook', () => {
  it('may reach only its own idempotency items in the table, never an employee record or the Meeting token', () => {
    const name = functionResource('hrWebhook').Properties.FunctionName as string;
    const dynamo = statementsOf(roleOf('hrWebhook')).filter((s) =>
      s.Action.some((a) => a.startsWith('dynamodb:')),
    );
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      expect(statement.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [idempotencyPk(name)] },
      });
    }
  });

  it('the connectors reach their own idempotency items and read employee records, nothing else of the table', () => {
    for (const fn of ['bambooHrWebhook', 'feishuWebhook']) {
      const name = functionResource(fn).Properties.FunctionName as string;
      const dynamo = statementsOf(roleOf(fn)).filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
      const conditions = dynamo.map((s) => [s.Action.sort(), s.Condition]);
      expect(conditions).toEqual([
        [
          ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [idempotencyPk(name)] } },
        ],
        [['dynamodb:GetItem'], { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EMP#*'] } }],
      ]);
    }
  });

  it('has reserved concurrency, and the HTTP API throttles every route and writes access logs', () => {
    expect(functionResource('hrWebhook').Properties.ReservedConcurrentExecutions).toBeGreaterThan(0);
    const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const throttling = stage.Properties.DefaultRouteSettings as Record<string, number>;
    expect(throttling.ThrottlingRateLimit).toBeGreaterThan(0);
    expect(throttling.ThrottlingBurstLimit).toBeGreaterThanOrEqual(throttling.ThrottlingRateLimit!);
    const logs = stage.Properties.AccessLogSettings as {
      DestinationArn: { 'Fn::GetAtt': string[] };
      Format: string;
    };
    const group = resources[logs.DestinationArn['Fn::GetAtt'][0]!]!;
    expect(group.Type).toBe('AWS::Logs::LogGroup');
    expect(group.Properties.RetentionInDays).toBeGreaterThan(0);
    expect(logs.Format).toContain('$context.status');
  });
});

describe('alarms', () => {
  const topics = () => ofType('AWS::SNS::Topic');

  it('notify one SNS topic when they fire and when they clear, which e-mails the address of ALARM_EMAIL', () => {
    const [[topic]] = topics() as [[string, Resource]];
    expect(topics()).toHaveLength(1);
    const subscriptions = ofType('AWS::SNS::Subscription').map(([, r]) => r.Properties);
    expect(subscriptions).toEqual([
      { TopicArn: { Ref: topic }, Protocol: 'email', Endpoint: settingsUsed.ALARM_EMAIL },
    ]);
    const alarms = ofType('AWS::CloudWatch::Alarm');
    expect(alarms.length).toBeGreaterThanOrEqual(6);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions, id).toEqual([{ Ref: topic }]);
      expect(alarm.Properties.OKActions, id).toEqual([{ Ref: topic }]);
    }
  });

  it('watch only metrics the functions emit, including a stage waiting for approval for as long as it waits', () => {
    const sources = readdirSync(join(root, 'functions'), { recursive: true })
      .filter((f) => String(f).endsWith('.ts'))
      .map((f) => readFileSync(join(root, 'functions', String(f)), 'utf8'))
      .join('\n');
    const custom = ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((p) => p.Namespace === 'MeetingLifecycle');
    // Literal names, and the worker's `event_<outcome>` per outcome of lib/lifecycle.
    expect(sources).toMatch(/`event_\$\{outcome\.outcome\}`/);
    const emitted = (name: string) =>
      sources.includes(`'${name}'`) || Object.values(APPLY_OUTCOME).some((o) => name === `event_${o}`);
    for (const alarm of custom)
      expect(emitted(alarm.MetricName as string), String(alarm.MetricName)).toBe(true);
    const awaiting = custom.find((p) => p.MetricName === 'offboarding_awaiting_approval')!;
    // Cleanup reports it every 15 minutes: the alarm must not clear between two runs.
    expect((awaiting.Period as number) * (awaiting.EvaluationPeriods as number)).toBeGreaterThan(15 * 60);
    expect(awaiting.Statistic).toBe('Maximum');
  });
});

describe('durable resources', () => {
  it('keep the table on stack removal or replacement, with deletion protection', () => {
    const table = resources.LifecycleTable!;
    expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });

  it('keep the DLQ the queue redrives to', () => {
    const redrive = resources.LifecycleQueue!.Properties.RedrivePolicy as {
      deadLetterTargetArn: { 'Fn::GetAtt': string[] };
    };
    const dlq = resources[redrive.deadLetterTargetArn['Fn::GetAtt'][0]!]!;
    expect([dlq.DeletionPolicy, dlq.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
  });

  it('declare the table exactly as lib/store defines it', () => {
    const local = tableDefinition('x');
    const table = resources.LifecycleTable!.Properties;
    const sort = (defs: unknown) =>
      [...(defs as { AttributeName: string }[])].sort((a, b) =>
        a.AttributeName.localeCompare(b.AttributeName),
      );
    expect(sort(table.AttributeDefinitions)).toEqual(sort(local.AttributeDefinitions));
    expect(table.KeySchema).toEqual(local.KeySchema);
    expect((table.GlobalSecondaryIndexes as { IndexName: string }[]).map((i) => i.IndexName)).toEqual(
      local.GlobalSecondaryIndexes?.map((i) => i.IndexName),
    );
    expect(table.TimeToLiveSpecification).toEqual({ AttributeName: 'ttl', Enabled: true });
  });

  it('use a FIFO queue with a FIFO DLQ after at least 5 receives and 6x the worker timeout', () => {
    const queue = resources.LifecycleQueue!.Properties;
    expect(queue.FifoQueue).toBe(true);
    expect((queue.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(
      6 * (functionResource('lifecycleWorker').Properties.Timeout as number),
    );
    expect(resources.LifecycleDeadLetterQueue!.Properties.FifoQueue).toBe(true);
  });
});

describe('the queue under a long Meeting outage', () => {
  it('has a receive budget that rides out 2 hours with the worker’s redelivery delays, then recovers fast', () => {
    const { maxReceiveCount } = resources.LifecycleQueue!.Properties.RedrivePolicy as {
      maxReceiveCount: number;
    };
    expect(maxReceiveCount).toBe(MAX_RECEIVE_COUNT);
    // The shortest time the budget lasts (every delay at its jitter floor) outlasts the outage...
    expect(minimumRetrySpanMs(maxReceiveCount, REDELIVERY)).toBeGreaterThan(OUTAGE_TO_SURVIVE_MS);
    // ...and after it nothing waits long to be tried again: 11 minutes at most, which leaves 4 of
    // the 15 for working off the backlog.
    expect(recoveryWaitMs(REDELIVERY)).toBeLessThanOrEqual(11 * 60_000);
  });

  it('lets the worker hand events back itself: it knows its queue and may change visibility', () => {
    expect(environmentOf('lifecycleWorker').QUEUE_URL).toEqual({ Ref: 'LifecycleQueue' });
    const statements = statementsOf(roleOf('lifecycleWorker'));
    expect(
      statements.some(
        (st) =>
          st.Action.includes('sqs:ChangeMessageVisibility') &&
          JSON.stringify(st.Resource).includes('LifecycleQueue'),
      ),
    ).toBe(true);
  });

  it('alarms when the oldest event on the queue has waited 15 minutes', () => {
    const alarm = ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .find((p) => p.MetricName === 'ApproximateAgeOfOldestMessage')!;
    expect(alarm).toMatchObject({
      Namespace: 'AWS/SQS',
      Threshold: 900,
      ComparisonOperator: 'GreaterThanThreshold',
    });
    expect(alarm.Dimensions).toEqual([
      { Name: 'QueueName', Value: { 'Fn::GetAtt': ['LifecycleQueue', 'QueueName'] } },
    ]);
  });
});

describe("the worker's time", () => {
  it('fits one whole Meeting attempt of the default and of the longest MEETING_TIMEOUT_MS; npm run dev gives its worker the same time', () => {
    const timeoutMs = (functionResource('lifecycleWorker').Properties.Timeout as number) * 1000;
    expect(DEPLOYED_WORKER_TIMEOUT_MS).toBe(timeoutMs);
    // What the worker hands the Meeting client (functions/lifecycle-worker/handler.ts), and what
    // an attempt needs of it (lib/meeting/caller.ts).
    const budgetMs = timeoutMs - WRAP_UP_MS;
    for (const meetingTimeoutMs of [MEETING_TIMEOUT_DEFAULT_MS, MEETING_TIMEOUT_MAX_MS])
      expect(budgetMs, `MEETING_TIMEOUT_MS=${meetingTimeoutMs}`).toBeGreaterThanOrEqual(
        meetingTimeoutMs + ATTEMPT_MARGIN_MS,
      );
  });
});

describe('cleanup', () => {
  it('is never retried by Lambda, and an error raises an alarm', () => {
    const configs = ofType('AWS::Lambda::EventInvokeConfig').map(([, r]) => r.Properties);
    expect(configs).toContainEqual(
      expect.objectContaining({ FunctionName: { Ref: 'CleanupLambdaFunction' }, MaximumRetryAttempts: 0 }),
    );
    const errors = ofType('AWS::CloudWatch::Alarm').filter(
      ([, a]) =>
        a.Properties.Namespace === 'AWS/Lambda' &&
        a.Properties.MetricName === 'Errors' &&
        JSON.stringify(a.Properties.Dimensions) ===
          JSON.stringify([{ Name: 'FunctionName', Value: { Ref: 'CleanupLambdaFunction' } }]),
    );
    expect(errors).toHaveLength(1);
  });

  it("holds its lease longer than it may run, and shorter than the schedule's interval", () => {
    const timeoutMs = (functionResource('cleanup').Properties.Timeout as number) * 1000;
    expect(CLEANUP_LEASE_TTL_MS).toBeGreaterThan(timeoutMs);
    const rates = ofType('AWS::Events::Rule')
      .map(([, r]) => String(r.Properties.ScheduleExpression ?? ''))
      .map((e) => /^rate\((\d+) minutes?\)$/.exec(e)?.[1])
      .filter((m): m is string => m !== undefined)
      .map((m) => Number(m) * 60_000);
    // The 1-minute schedule only flushes disables; the full run is the longest interval.
    expect(CLEANUP_LEASE_TTL_MS).toBeLessThan(Math.max(...rates));
  });
});

describe('roles', () => {
  it('one per function, with no managed policy, writing logs only to its own log group', () => {
    const roles = functionNames().map(roleOf);
    expect(new Set(roles).size).toBe(roles.length);
    for (const fn of functionNames()) {
      const role = resources[roleOf(fn)]!;
      expect(role.Properties.ManagedPolicyArns, fn).toBeUndefined();
      const name = functionResource(fn).Properties.FunctionName as string;
      const [group] = ofType('AWS::Logs::LogGroup').find(
        ([, g]) => g.Properties.LogGroupName === `/aws/lambda/${name}`,
      )!;
      const logs = statementsOf(roleOf(fn)).filter((s) => s.Action.some((a) => a.startsWith('logs:')));
      expect(logs, fn).toEqual([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [group, 'Arn'] },
        },
      ]);
    }
  });

  it('let the worker and cleanup make every DynamoDB data call the store makes (dynalite enforces no IAM)', () => {
    // Every operation lib/store sends through aws-lite; table set-up is the local stack's alone.
    const source = readFileSync(join(root, 'lib/store/aws-lite-dynamo.ts'), 'utf8');
    const sent = new Set([...source.matchAll(/\bcall(?:<[\s\S]*?>)?\(\s*'([A-Z]\w+)'/g)].map((m) => m[1]!));
    const tableSetUp = ['CreateTable', 'DescribeTable', 'DescribeTimeToLive', 'UpdateTimeToLive'];
    const data = [...sent].filter((op) => !tableSetUp.includes(op));
    expect(data).toEqual(expect.arrayContaining(['BatchGetItem', 'BatchWriteItem', 'Query', 'GetItem']));
    for (const fn of ['lifecycleWorker', 'cleanup']) {
      const granted = statementsOf(roleOf(fn))
        .filter((s) => [s.Resource].flat().some((r) => JSON.stringify(r).includes('LifecycleTable')))
        .flatMap((s) => s.Action);
      expect(
        data.filter((op) => !granted.includes(`dynamodb:${op}`)),
        `${fn} lacks`,
      ).toEqual([]);
    }
    // The operator's list (docs/operations.md) too: the commands flush and read in batches.
    const runbook = readFileSync(join(root, 'docs/operations.md'), 'utf8');
    const listed = runbook.match(/DynamoDB\s+`([\w/]+)`/)?.[1]?.split('/') ?? [];
    expect(
      data.filter((op) => !listed.includes(op)),
      'docs/operations.md lacks',
    ).toEqual([]);
    // Table set-up never runs in a function: no role may change the table.
    for (const [id] of ofType('AWS::IAM::Role')) {
      const actions = statementsOf(id).flatMap((s) => s.Action);
      expect(
        actions.filter((a) => /^dynamodb:(Create|Delete|Update)(Table|TimeToLive)$/.test(a)),
        id,
      ).toEqual([]);
    }
  });

  it('grant no action on every resource', () => {
    for (const [id] of ofType('AWS::IAM::Role')) {
      for (const statement of statementsOf(id)) {
        expect(statement.Resource, id).not.toBe('*');
        expect(
          statement.Action.filter((a) => a.endsWith('*')),
          id,
        ).toEqual([]);
      }
    }
  });
});
