import { existsSync, readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { cloudEventToHrEvent } from '../../lib/events/cloud-event.js';
import { cloudEventSchema, EVENT_TYPES, hrEventSchema } from '../../lib/events/schemas.js';

/** serverless.yml checks for the connectors and the optional EventBridge producer (docs/connectors.md). */
const cfnTags = ['!Ref', '!GetAtt', '!Sub'].map(
  (tag) => new yaml.Type(tag, { kind: 'scalar', construct: (value: string) => ({ [tag]: value }) }),
);
type Resource = { Type: string; Condition?: string; Properties: Record<string, unknown> };
const config = yaml.load(readFileSync('serverless.yml', 'utf8'), {
  schema: yaml.DEFAULT_SCHEMA.extend(cfnTags),
}) as {
  custom: Record<string, Record<string, string>>;
  functions: Record<
    string,
    {
      handler: string;
      role: string;
      timeout: number;
      environment: unknown;
      events: { httpApi: { method: string; path: string } }[];
    }
  >;
  resources: { Conditions: Record<string, unknown>; Resources: Record<string, Resource> };
};
const resources = config.resources.Resources;

/** `${self:custom.x}` → custom.x; a literal map stays as it is. */
const environmentOf = (name: string): Record<string, unknown> => {
  const env = config.functions[name]!.environment;
  const ref = typeof env === 'string' ? /^\$\{self:custom\.(\w+)\}$/.exec(env)?.[1] : undefined;
  return (ref ? config.custom[ref] : env) as Record<string, unknown>;
};
type Statement = { Action: string[]; Resource: unknown; Condition?: unknown };
const statementsOf = (role: string) =>
  (resources[role]!.Properties.Policies as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (p) => p.PolicyDocument.Statement,
  );
const ssmParameterArn = (param: string) => ({
  '!Sub': `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter${param}`,
});

describe.each([
  ['bambooHrWebhook', '/hr/bamboohr', 'BAMBOOHR', ['BAMBOOHR_WEBHOOK_KEYS', 'BAMBOOHR_API_KEY']],
  [
    'feishuWebhook',
    '/hr/feishu',
    'FEISHU',
    ['FEISHU_APP_SECRET', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN'],
  ],
] as const)('%s', (name, path, prefix, secrets) => {
  const fn = config.functions[name]!;
  const env = environmentOf(name);

  it(`is deployed on POST ${path} with its handler, but off by default`, () => {
    expect(existsSync(fn.handler.replace(/\.handler$/, '.ts'))).toBe(true);
    expect(fn.events).toEqual([{ httpApi: { method: 'POST', path } }]);
    expect(env[`${prefix}_ENABLED`]).toBe(`\${env:${prefix}_ENABLED, 'false'}`);
    expect(env).toMatchObject({
      QUEUE_URL: { '!Ref': 'LifecycleQueue' },
      DEAD_LETTER_QUEUE_URL: { '!Ref': 'LifecycleDeadLetterQueue' },
    });
  });

  it('reads its secrets from SSM only, and its role may read exactly those parameters', () => {
    for (const secret of secrets) {
      expect(env).not.toHaveProperty(secret);
      expect(env[`${secret}_PARAM`]).toMatch(/^\$\{self:custom\.parameterPath\}\/[a-z-]+$/);
    }
    const params = secrets.map((s) => ssmParameterArn(String(env[`${s}_PARAM`])));
    const ssm = statementsOf(fn.role).filter((s) => s.Action.some((a) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(ssm[0]!.Resource).toEqual(params);
  });

  it('has a least-privilege role of its own: send to the queue and the DLQ, items of the table, nothing else', () => {
    const others = Object.entries(config.functions).filter(([other]) => other !== name);
    expect(others.map(([, f]) => f.role)).not.toContain(fn.role);
    const actions = new Set(statementsOf(fn.role).flatMap((s) => s.Action));
    expect([...actions].sort()).toEqual(
      [
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
        'ssm:GetParameter',
        'ssm:GetParameters',
      ].sort(),
    );
    const sqs = statementsOf(fn.role).find((s) => s.Action.includes('sqs:SendMessage'))!;
    expect(sqs.Resource).toEqual([
      { '!GetAtt': 'LifecycleQueue.Arn' },
      { '!GetAtt': 'LifecycleDeadLetterQueue.Arn' },
    ]);
    // No wildcard but the employee-record prefix of a DynamoDB condition (test/deploy/template.test.ts).
    const unconditioned = statementsOf(fn.role).map(({ Condition, ...rest }) => rest);
    expect(JSON.stringify(unconditioned)).not.toContain('*');
  });
});

describe('the optional EventBridge rule', () => {
  const eventBridge = [
    'HrEventsRule',
    'HrEventsRuleDeadLetterQueue',
    'HrEventsRuleDeadLetterAlarm',
    'HrEventsQueuePolicy',
  ];

  it('is off by default: every resource it adds hangs on one condition, false unless EVENTBRIDGE_INGEST=true', () => {
    expect(config.custom.eventBridge!.enabled).toBe(`\${env:EVENTBRIDGE_INGEST, 'false'}`);
    expect(config.resources.Conditions.EventBridgeIngestEnabled).toEqual({
      'Fn::Equals': [`\${self:custom.eventBridge.enabled}`, 'true'],
    });
    for (const name of eventBridge) expect(resources[name]!.Condition).toBe('EventBridgeIngestEnabled');
    const conditional = Object.entries(resources)
      .filter(([, r]) => r.Condition)
      .map(([n]) => n);
    expect(conditional.sort()).toEqual([...eventBridge].sort());
  });

  it('matches the six event types and lets only this rule send to the queue', () => {
    const rule = resources.HrEventsRule!.Properties;
    expect((rule.EventPattern as Record<string, string[]>)['detail-type']!.sort()).toEqual(
      Object.values(EVENT_TYPES).sort(),
    );
    const policy = resources.HrEventsQueuePolicy!.Properties.PolicyDocument as {
      Statement: Record<string, unknown>[];
    };
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnEquals: { 'aws:SourceArn': { '!GetAtt': 'HrEventsRule.Arn' } } },
    });
  });

  it("renders an EventBridge event into a CloudEvent the queue's contract accepts", () => {
    const [target] = resources.HrEventsRule!.Properties.Targets as {
      Arn: unknown;
      SqsParameters: { MessageGroupId: string };
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }[];
    expect(target!.Arn).toEqual({ '!GetAtt': 'LifecycleQueue.Arn' });
    expect(target!.SqsParameters.MessageGroupId).toMatch(/^[\w-]{1,128}$/);
    // What PutEvents delivers: the publisher sets source, detail-type (the event type) and detail (its data).
    const published = {
      version: '0',
      id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
      'detail-type': 'employee.hired',
      source: 'hr.events',
      account: '111122223333',
      time: '2026-11-29T09:00:00Z',
      region: 'ap-southeast-1',
      resources: [],
      detail: {
        employeeId: 'E1001',
        version: 1_795_000_000_000,
        member: { name: 'Ada Lovelace', email: 'ada@corp.example', deptCode: 'D-ENG' },
      },
    };
    const at = (path: string) =>
      path
        .replace(/^\$\./, '')
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], published);
    const { InputPathsMap, InputTemplate } = target!.InputTransformer;
    // EventBridge inserts an unquoted variable as its JSON value.
    const body = InputTemplate.replace(/<([\w.-]+)>/g, (_, name: string) =>
      JSON.stringify(at(InputPathsMap[name]!)),
    );
    const envelope = cloudEventSchema.parse(JSON.parse(body));
    const event = hrEventSchema.parse(cloudEventToHrEvent(envelope));
    expect(event).toMatchObject({
      id: published.id,
      type: 'employee.hired',
      employeeId: 'E1001',
      occurredAt: published.time,
    });
  });
});
