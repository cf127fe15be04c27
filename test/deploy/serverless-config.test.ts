import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { tableDefinition } from '../../lib/store/table.js';

// CloudFormation short-form tags, kept as plain values so the template can be inspected.
const cfnTags = ['!Ref', '!GetAtt', '!Sub'].map(
  (tag) => new yaml.Type(tag, { kind: 'scalar', construct: (value: string) => ({ [tag]: value }) }),
);
const config = yaml.load(readFileSync('serverless.yml', 'utf8'), {
  schema: yaml.DEFAULT_SCHEMA.extend(cfnTags),
}) as {
  provider: { runtime: string; architecture: string };
  custom: { lifecycleEnvironment: Record<string, string> };
  functions: Record<string, { timeout: number; role: string; environment: unknown }>;
  resources: { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
};
const resources = config.resources.Resources;

describe('serverless.yml', () => {
  it('targets nodejs22.x on arm64', () => {
    expect(config.provider).toMatchObject({ runtime: 'nodejs22.x', architecture: 'arm64' });
  });

  it('declares the table exactly as lib/store defines it', () => {
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

  it('uses a FIFO queue with a FIFO DLQ after at least 5 receives and 6x the worker timeout', () => {
    const queue = resources.LifecycleQueue!.Properties;
    expect(queue.FifoQueue).toBe(true);
    expect((queue.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(queue.VisibilityTimeout as number).toBeGreaterThanOrEqual(
      6 * config.functions.lifecycleWorker!.timeout,
    );
    expect(resources.LifecycleDeadLetterQueue!.Properties.FifoQueue).toBe(true);
  });

  it('gives every function its own role and never puts a secret in plain environment text', () => {
    const roles = Object.values(config.functions).map((f) => f.role);
    expect(new Set(roles).size).toBe(roles.length);
    const env = JSON.stringify([
      config.custom.lifecycleEnvironment,
      ...Object.values(config.functions).map((f) => f.environment),
    ]);
    for (const secret of ['MEETING_PASSWORD"', 'MEETING_APP_KEY"', 'WEBHOOK_SECRETS"'])
      expect(env).not.toContain(secret);
    expect(env).toContain('WEBHOOK_SECRETS_PARAM');
  });
});
