import { randomBytes } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EVENT_TYPES, type EventType } from '../../lib/events/schemas.js';
import type { Log } from '../../lib/shared/log.js';
import { ITEM_TYPES } from '../../lib/store/keys.js';
import { signWebhook } from '../../lib/webhook/sign.js';
import { createHrEventFactory, sampleMember } from '../../local/hr-event-factory.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack.js';
import { postSignedWebhook } from '../../local/webhook-client.js';
import { DEMO_CREDENTIALS, type SimulatorCounters } from '../../simulator/index.js';

/**
 * The scripted HR day of the secret-hygiene test: three local stacks (account/password mode
 * with faults and revoked tokens, a wrong password, App ID mode), all logging to `log`.
 */

/** A Standard Webhooks secret of 32 random bytes. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** What a run did, so the test can check that it went through the paths it claims to cover. */
export interface RunFacts {
  /** HTTP statuses by kind of delivery. */
  readonly statuses: Record<string, number[]>;
  /** Accepted deliveries: webhook id and the ids of the events it carried. */
  readonly accepted: { webhookId: string; eventIds: string[] }[];
  /** Final simulator state of the run's employees, by HR id (undefined = no member). */
  readonly members: Record<string, { status: unknown; title: unknown; admin: boolean } | undefined>;
  readonly counters: SimulatorCounters;
  readonly deadLetters: { groupId: string; reason?: string }[];
  readonly deleted: readonly string[];
  /** Access tokens found in the DynamoDB token cache after the run. */
  readonly cachedTokens: string[];
}

type PostOptions = { title?: string; secret?: string };

interface Day {
  readonly stack: LocalStack;
  post(type: EventType, employeeId: string, options?: PostOptions): Promise<void>;
  postMany(events: [EventType, string][], options?: PostOptions): Promise<void>;
  status(kind: string, status: number): void;
  facts(deleted?: readonly string[]): Promise<RunFacts>;
}

const scanTokens = async (stack: LocalStack): Promise<string[]> => {
  const { Items = [] } = await stack.dynamo.doc.send(
    new ScanCommand({
      TableName: stack.dynamo.tableName,
      FilterExpression: '#type = :token',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: { ':token': ITEM_TYPES.token },
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
  queue: Pick<LocalStackOptions, 'redelivery' | 'maxReceiveCount'> = {},
): Promise<Day> => {
  const stack = await startLocalStack({
    env: {
      WEBHOOK_SECRETS: webhookSecrets,
      RETENTION_DAYS: '0',
      DISABLE_LINGER_MS: '0',
      MEETING_TIMEOUT_MS: '2000',
      MEETING_MAX_ATTEMPTS: '6',
      ...env,
    },
    ...queue,
    log,
  });
  const newestSecret = webhookSecrets.split(' ').at(-1)!;
  const events = createHrEventFactory({ idPrefix: `${name}-evt` });
  const statuses: Record<string, number[]> = {};
  const accepted: RunFacts['accepted'] = [];
  const employees = new Set<string>();
  const status = (kind: string, code: number) => {
    statuses[kind] = [...(statuses[kind] ?? []), code];
  };
  const postMany = async (list: [EventType, string][], options: PostOptions = {}) => {
    const batch = list.map(([type, employeeId], n) => {
      employees.add(employeeId);
      return events(
        type,
        employeeId,
        sampleMember(employeeId, n, options.title ? { title: options.title } : {}),
      );
    });
    const secret = options.secret ?? newestSecret;
    const result = await postSignedWebhook(stack.webhookUrl, secret, batch.length === 1 ? batch[0] : batch);
    status('delivery', result.status);
    if (result.status === 202)
      accepted.push({ webhookId: result.webhookId, eventIds: batch.map((e) => e.id) });
  };
  return {
    stack,
    postMany,
    post: (type, employeeId, options) => postMany([[type, employeeId]], options),
    status,
    facts: async (deleted = []) => {
      const members = stack.simulator!.members();
      return {
        statuses,
        accepted,
        members: Object.fromEntries(
          [...employees].map((id) => {
            const m = members.find((member) => member.thirdAccount === id);
            return [id, m && { status: m.status, title: m.title, admin: m.adminType === 1 }];
          }),
        ),
        counters: stack.simulator!.counters(),
        deadLetters: stack.dlq.messages().map((m) => ({ groupId: m.groupId, reason: m.attributes.reason })),
        deleted,
        cachedTokens: await scanTokens(stack),
      };
    },
  };
};

/** Deliveries that must be refused: forged, tampered, unknown signature version, stale, invalid. */
const postRefusedDeliveries = async (day: Day, secret: string) => {
  const url = day.stack.webhookUrl;
  const event = {
    type: EVENT_TYPES.hired,
    id: 'refused-1',
    employeeId: 'R1',
    version: 1,
    member: sampleMember('R1', 1),
  };
  const body = JSON.stringify(event);
  day.status('forged', (await postSignedWebhook(url, newWebhookSecret(), body)).status);
  const signed = signWebhook({ secret, id: 'msg_tampered', timestamp: Math.floor(Date.now() / 1000), body });
  const headers = { 'content-type': 'application/json', ...signed };
  const tampered = await fetch(url, { method: 'POST', headers, body: body.replace('R1', 'R2') });
  day.status('tampered', tampered.status);
  const v2 = signed['webhook-signature'].replace(/^v1,/, 'v2,');
  day.status(
    'wrongVersion',
    (await fetch(url, { method: 'POST', headers: { ...headers, 'webhook-signature': v2 }, body })).status,
  );
  const stale = await postSignedWebhook(url, secret, body, {
    timestamp: Math.floor(Date.now() / 1000) - 3600,
  });
  day.status('stale', stale.status);
  day.status('invalid', (await postSignedWebhook(url, secret, { ...event, version: -1 })).status);
};

/**
 * Account/password mode, the whole day: hires (one signed with the older secret of a rotation),
 * refused deliveries, updates under 5xx, all tokens revoked (401, re-login) before terminations
 * and an admin grant that is throttled (429), a token revoked mid-call, a rehire, and cleanup.
 */
export const runAccountDay = async (log: Log, webhookSecrets: string): Promise<RunFacts> => {
  const day = await startDay('acct', log, webhookSecrets, {});
  const sim = day.stack.simulator!;
  const olderSecret = webhookSecrets.split(' ')[0]!;
  try {
    await day.postMany([
      [EVENT_TYPES.hired, 'H1'],
      [EVENT_TYPES.hired, 'H2'],
      [EVENT_TYPES.hired, 'H3'],
    ]);
    await day.post(EVENT_TYPES.hired, 'H4', { secret: olderSecret });
    await postRefusedDeliveries(day, olderSecret);
    await day.stack.drain();

    // Seeds picked so that each fault fires within the few calls it may hit (the injector is deterministic).
    sim.setFaults({ seed: 9, errorRate: 0.5, apis: ['updateMember'] });
    await day.post(EVENT_TYPES.updated, 'H1', { title: 'Lead' });
    await day.post(EVENT_TYPES.updated, 'H3', { title: 'Staff' });
    await day.stack.drain();

    sim.revokeAllTokens();
    sim.setFaults({ seed: 8, throttleRate: 0.5, retryAfterSeconds: 0, apis: ['addAdmin'] });
    await day.postMany([
      [EVENT_TYPES.terminated, 'H2'],
      [EVENT_TYPES.terminated, 'H3'],
      [EVENT_TYPES.adminGranted, 'H4'],
    ]);
    await day.stack.drain();

    sim.setFaults({ seed: 10, revokeRate: 0.6, apis: ['updateMember'] });
    await day.post(EVENT_TYPES.updated, 'H1', { title: 'Principal' });
    await day.post(EVENT_TYPES.rehired, 'H3');
    await day.stack.drain();
    sim.setFaults(undefined);

    const report = await day.stack.runCleanup();
    return await day.facts(report.cleanup.deleted);
  } finally {
    await day.stack.stop();
  }
};

/**
 * A wrong Meeting password: every login is refused. Deployed, the event would wait for the
 * operator's fix for hours (50 receives); here it dead-letters after 5 receives that come back
 * at once, each trying to log in (the circuit breaker pauses for no time).
 */
export const runWrongPasswordDay = async (
  log: Log,
  webhookSecrets: string,
  password: string,
): Promise<RunFacts> => {
  const env = { MEETING_ACCOUNT: DEMO_CREDENTIALS.account, MEETING_PASSWORD: password };
  const day = await startDay('badpw', log, webhookSecrets, env, {
    redelivery: { baseMs: 10, capMs: 10, pauseMs: 0 },
    maxReceiveCount: 5,
  });
  try {
    await day.post(EVENT_TYPES.hired, 'P1');
    await day.stack.drain();
    return await day.facts();
  } finally {
    await day.stack.stop();
  }
};

/** App ID mode (HMAC-signed logins, members addressed by HR id), with one revocation. */
export const runAppIdDay = async (log: Log, webhookSecrets: string): Promise<RunFacts> => {
  const env = { MEETING_APP_ID: DEMO_CREDENTIALS.appId, MEETING_APP_KEY: DEMO_CREDENTIALS.appKey };
  const day = await startDay('appid', log, webhookSecrets, env);
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
