import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_TYPES, type EventType } from '../../lib/events/schemas.js';
import type { Log } from '../../lib/shared/log.js';
import { DEMO_CREDENTIALS, type SimulatorCounters } from '../../lib/simulator/index.js';
import { signWebhook } from '../../lib/webhook/sign.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, startLocalStack } from '../../local/stack.js';
import { postSignedWebhook } from '../../local/webhook-client.js';

/** A Standard Webhooks secret of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** What a run did, for the test to check that it went through the paths it claims to cover. */
export interface RunFacts {
  readonly statuses: Record<string, number[]>;
  /** Webhook ids of accepted deliveries, with the event ids each carried. */
  readonly accepted: { webhookId: string; eventIds: string[] }[];
  /** Final simulator state of the run's employees, by HR id. */
  readonly members: Record<string, { status: unknown; title: unknown; admin: boolean } | undefined>;
  readonly counters: SimulatorCounters;
  readonly deadLetters: { groupId: string; reason?: string }[];
  readonly deleted: readonly string[];
  /** Access tokens found in the DynamoDB token cache after the run. */
  readonly cachedTokens: string[];
}

interface Day {
  readonly stack: LocalStack;
  readonly post: (type: EventType, employeeId: string, extra?: { title?: string; secret?: string }) => Promise<void>;
  readonly postMany: (events: [EventType, string][], extra?: { title?: string; secret?: string }) => Promise<void>;
  readonly status: (what: string, status: number) => void;
  readonly facts: () => Promise<RunFacts>;
}

const scanTokens = async (stack: LocalStack): Promise<string[]> => {
  const { Items = [] } = await stack.dynamo.doc.send(
    new ScanCommand({
      TableName: stack.dynamo.tableName,
      FilterExpression: '#type = :token',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':token': 'token' },
    }),
  );
  return Items.map((item) => String(item.accessToken));
};

/** Starts a stack and returns helpers that post signed HR events and record what happened. */
const startDay = async (
  name: string,
  log: Log,
  webhookSecrets: string,
  env: Record<string, string>,
  visibilityTimeoutMs = 1_000,
): Promise<Day> => {
  const stack = await startLocalStack({
    env: {
      WEBHOOK_SECRETS: webhookSecrets,
      RETENTION_DAYS: '0',
      DISABLE_LINGER_MS: '0',
      MEETING_TIMEOUT_MS: '2000',
      ...env,
    },
    visibilityTimeoutMs,
    log,
  });
  const signingSecret = webhookSecrets.split(' ').at(-1)!;
  const events = createHrEventFactory({ idPrefix: `${name}-evt` });
  const statuses: Record<string, number[]> = {};
  const accepted: RunFacts['accepted'] = [];
  const employees = new Set<string>();
  const status = (what: string, code: number) => {
    statuses[what] = [...(statuses[what] ?? []), code];
  };
  const postMany = async (list: [EventType, string][], extra: { title?: string; secret?: string } = {}) => {
    const batch = list.map(([type, employeeId], n) => {
      employees.add(employeeId);
      return events(type, employeeId, sampleMember(employeeId, n, extra.title ? { title: extra.title } : {}));
    });
    const secret = extra.secret ?? signingSecret;
    const result = await postSignedWebhook(stack.webhookUrl, secret, batch.length === 1 ? batch[0] : batch);
    status('delivery', result.status);
    if (result.status === 202) accepted.push({ webhookId: result.webhookId, eventIds: batch.map((e) => e.id) });
  };
  return {
    stack,
    postMany,
    post: (type, employeeId, extra) => postMany([[type, employeeId]], extra),
    status,
    facts: async () => {
      const sim = stack.simulator!;
      const members = Object.fromEntries(
        [...employees].map((id) => {
          const m = sim.members().find((member) => member.thirdAccount === id);
          return [id, m && { status: m.status, title: m.title, admin: m.adminType === 1 }];
        }),
      );
      return {
        statuses,
        accepted,
        members,
        counters: sim.counters(),
        deadLetters: stack.dlq.messages().map((m) => ({ groupId: m.groupId, reason: m.attributes.reason })),
        deleted: [],
        cachedTokens: await scanTokens(stack),
      };
    },
  };
};

/** Deliveries that must be refused: forged, tampered, unknown version, stale. */
const postRefusedDeliveries = async (day: Day, webhookSecrets: string) => {
  const { stack } = day;
  const body = JSON.stringify({ type: EVENT_TYPES.hired, id: 'refused-1', employeeId: 'R1', version: 1, member: sampleMember('R1', 1) });
  const forged = await postSignedWebhook(stack.webhookUrl, newWebhookSecret(), body);
  day.status('forged', forged.status);
  const signed = signWebhook({ secret: webhookSecrets.split(' ')[0]!, id: 'msg_tampered', timestamp: Math.floor(Date.now() / 1000), body });
  const tampered = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed },
    body: body.replace('R1', 'R2'),
  });
  day.status('tampered', tampered.status);
  const v2 = await fetch(stack.webhookUrl, {
    method: 'POST',
    headers: { ...signed, 'webhook-signature': signed['webhook-signature'].replace(/^v1,/, 'v2,') },
    body,
  });
  day.status('wrongVersion', v2.status);
  const stale = await postSignedWebhook(stack.webhookUrl, webhookSecrets.split(' ')[0]!, body, {
    timestamp: Math.floor(Date.now() / 1000) - 3600,
  });
  day.status('stale', stale.status);
  const invalid = await postSignedWebhook(stack.webhookUrl, webhookSecrets.split(' ')[0]!, { type: EVENT_TYPES.hired, id: 'x' });
  day.status('invalid', invalid.status);
};

/**
 * Account/password mode, the whole day: hires (one delivery signed with the older secret of a
 * rotation), refused deliveries, updates under 5xx/429 faults, revoked tokens (401, re-login)
 * before terminations and an admin grant, random revocations, a rehire, and cleanup.
 */
export const runAccountDay = async (log: Log, webhookSecrets: string): Promise<RunFacts> => {
  const day = await startDay('acct', log, webhookSecrets, {});
  const sim = day.stack.simulator!;
  try {
    await day.postMany([
      [EVENT_TYPES.hired, 'H1'],
      [EVENT_TYPES.hired, 'H2'],
      [EVENT_TYPES.hired, 'H3'],
    ]);
    await day.post(EVENT_TYPES.hired, 'H4', { secret: webhookSecrets.split(' ')[0]! }); // older secret of a rotation
    await postRefusedDeliveries(day, webhookSecrets);
    await day.stack.drain();

    sim.setFaults({ seed: 11, errorRate: 0.4, throttleRate: 0.3, retryAfterSeconds: 0 });
    await day.post(EVENT_TYPES.updated, 'H1', { title: 'Lead' });
    await day.post(EVENT_TYPES.updated, 'H3', { title: 'Staff' });
    await day.stack.drain();
    sim.setFaults(undefined);

    sim.revokeAllTokens(); // every cached token now answers 401: one re-login must follow
    await day.postMany([
      [EVENT_TYPES.terminated, 'H2'],
      [EVENT_TYPES.terminated, 'H3'],
      [EVENT_TYPES.adminGranted, 'H4'],
    ]);
    await day.stack.drain();

    sim.setFaults({ seed: 5, revokeRate: 0.6 });
    await day.post(EVENT_TYPES.updated, 'H1', { title: 'Principal' });
    await day.post(EVENT_TYPES.rehired, 'H3');
    await day.stack.drain();
    sim.setFaults(undefined);

    const cleanup = await day.stack.runCleanup();
    return { ...(await day.facts()), deleted: cleanup.cleanup.deleted };
  } finally {
    await day.stack.stop();
  }
};

/** A wrong Meeting password: every login is refused, the event dead-letters after 5 receives. */
export const runWrongPasswordDay = async (
  log: Log,
  webhookSecrets: string,
  password: string,
): Promise<RunFacts> => {
  const day = await startDay('badpw', log, webhookSecrets, {
    MEETING_ACCOUNT: DEMO_CREDENTIALS.account,
    MEETING_PASSWORD: password,
  }, 50);
  try {
    await day.post(EVENT_TYPES.hired, 'P1');
    await day.stack.drain();
    return await day.facts();
  } finally {
    await day.stack.stop();
  }
};

/** App ID mode (HMAC-signed logins), members addressed by HR id. */
export const runAppIdDay = async (log: Log, webhookSecrets: string): Promise<RunFacts> => {
  const day = await startDay('appid', log, webhookSecrets, {
    MEETING_APP_ID: DEMO_CREDENTIALS.appId,
    MEETING_APP_KEY: DEMO_CREDENTIALS.appKey,
  });
  try {
    await day.postMany([
      [EVENT_TYPES.hired, 'A1'],
      [EVENT_TYPES.hired, 'A2'],
    ]);
    await day.stack.drain();
    day.stack.simulator!.revokeAllTokens();
    await day.post(EVENT_TYPES.terminated, 'A2');
    await day.stack.drain();
    return await day.facts();
  } finally {
    await day.stack.stop();
  }
};
