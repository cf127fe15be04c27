import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/shared/observability.js';
import { DEMO_CREDENTIALS } from '../../simulator/index.js';
import {
  type CapturingLog,
  captureOutput,
  createCapturingLog,
  type OutputCapture,
} from '../helpers/log-capture.js';
import {
  newWebhookSecret,
  type RunFacts,
  runAccountDay,
  runAppIdDay,
  runWrongPasswordDay,
} from './scripted-day.js';
import { recordSecretTraffic, type SecretTraffic } from './secret-traffic.js';

// The functions' logger reads its level when its module loads: hoisted above the imports.
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
});

const WEBHOOK_SECRETS = [newWebhookSecret(), newWebhookSecret()];
const WRONG_PASSWORD = `Wrong#${randomBytes(12).toString('base64url')}`;

let traffic: SecretTraffic;
let output: OutputCapture;
let log: CapturingLog;
const runs: { account?: RunFacts; wrongPassword?: RunFacts; appId?: RunFacts } = {};

beforeAll(async () => {
  traffic = recordSecretTraffic();
  output = captureOutput();
  log = createCapturingLog(logger);
  try {
    const secrets = WEBHOOK_SECRETS.join(' ');
    runs.account = await runAccountDay(log, secrets);
    runs.wrongPassword = await runWrongPasswordDay(log, secrets, WRONG_PASSWORD);
    runs.appId = await runAppIdDay(log, secrets);
  } finally {
    output.stop();
    traffic.restore();
  }
  // Three whole local stacks, one after another: slow on a loaded machine, and allowed to be.
}, 180_000);
afterAll(() => {
  vi.unstubAllEnvs();
});

/** The forms a value may take in a log line: as is, JSON-escaped, URL-encoded. */
const forms = (value: string) => [
  ...new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]),
];

/** Which of `values` occur in everything captured, each shown masked (a failure must not print it). */
const leaked = (values: Iterable<string>, text = `${output.text()}\n${log.text()}`) =>
  [...values]
    .filter((value) => forms(value).some((form) => text.includes(form)))
    .map((value) => `${value.slice(0, 4)}… (${value.length} chars)`);

describe('secret hygiene of a full local run', () => {
  it('runs the scripted day through every path it claims to cover', () => {
    const { account, wrongPassword, appId } = runs;
    expect(account?.statuses).toMatchObject({
      forged: [401],
      tampered: [401],
      wrongVersion: [401],
      stale: [401],
      invalid: [422],
    });
    expect(account?.statuses.delivery?.every((status) => status === 202)).toBe(true);
    expect(account?.members).toMatchObject({
      H1: { status: 0, title: 'Principal' },
      H3: { status: 0 },
      H4: { status: 0, admin: true },
    });
    expect(account?.deleted).toEqual(['H2']);
    for (const fault of ['error', 'throttle', 'revoke'] as const)
      expect(account?.counters.faults[fault]).toBeGreaterThan(0);
    expect(account?.counters.calls.authAccount).toBeGreaterThanOrEqual(3); // first login + two re-logins after 401
    expect(account?.deadLetters).toEqual([]);

    expect(wrongPassword?.counters.auth).toBe(0);
    expect(wrongPassword?.counters.authAttempts).toBeGreaterThanOrEqual(5);
    expect(wrongPassword?.deadLetters).toEqual([
      { groupId: 'P1', reason: expect.stringMatching(/MeetingAuthError/) },
    ]);

    expect(appId?.counters.calls.authAppId).toBeGreaterThanOrEqual(2);
    expect(appId?.members).toMatchObject({ A1: { status: 0 }, A2: { status: 1 } });
    // The level was really DEBUG: the transport's per-request lines are debug lines.
    expect(
      output.jsonLines().some((line) => line.level === 'DEBUG' && line.message === 'meeting request'),
    ).toBe(true);
  });

  it('prints no Meeting password, nor the Basic credential built from it', () => {
    expect(traffic.seen.authorization.size).toBeGreaterThanOrEqual(2);
    expect(leaked([DEMO_CREDENTIALS.password, WRONG_PASSWORD, ...traffic.seen.authorization])).toEqual([]);
  });

  it('prints no App Key and no App ID signature', () => {
    expect(traffic.seen.hmacSignatures.size).toBeGreaterThanOrEqual(2);
    expect(leaked([DEMO_CREDENTIALS.appKey, ...traffic.seen.hmacSignatures])).toEqual([]);
  });

  it('prints no access token the simulator issued (seen on the wire or left in the token cache)', () => {
    const cached = [runs.account, runs.appId].flatMap((run) => run?.cachedTokens ?? []);
    expect(cached).toHaveLength(2);
    for (const token of cached) expect(traffic.seen.tokens).toContain(token);
    expect(traffic.seen.tokens.size).toBeGreaterThanOrEqual(5); // logins + re-logins, access and refresh
    expect(leaked(traffic.seen.tokens)).toEqual([]);
  });

  it('prints no webhook secret and no webhook-signature value', () => {
    const keys = WEBHOOK_SECRETS.map((secret) => secret.slice('whsec_'.length));
    expect(traffic.seen.webhookSignatures.size).toBeGreaterThanOrEqual(10);
    expect(leaked([...WEBHOOK_SECRETS, ...keys, ...traffic.seen.webhookSignatures])).toEqual([]);
  });

  it('logs structured JSON lines that carry correlation ids', () => {
    const lines = output.jsonLines();
    const texts = lines.map((line) => JSON.stringify(line));
    const named = (message: string) => lines.filter((line) => line.message === message);
    const accepted = [runs.account, runs.appId].flatMap((run) => run?.accepted ?? []);
    const eventIds = accepted.flatMap((delivery) => delivery.eventIds);
    const webhookLines = [...named('webhook accepted'), ...named('webhook rejected')];
    expect(webhookLines.length).toBeGreaterThan(accepted.length);
    // Each gap is listed, not just counted, so a failure says what is missing.
    expect
      .soft(
        webhookLines.filter((line) => !line.correlation_id),
        'webhook lines without the request id',
      )
      .toEqual([]);
    const loggedWebhookIds = named('webhook accepted').map((line) => line.webhookId);
    expect.soft(accepted.map((d) => d.webhookId).filter((id) => !loggedWebhookIds.includes(id))).toEqual([]);
    expect
      .soft(
        eventIds.filter((id) => !lines.some((line) => line.eventId === id)),
        'events no worker line names',
      )
      .toEqual([]);
    // Meeting calls carry the event id as X-Request-Id, so a call can be traced to its event.
    expect.soft(named('meeting request').some((line) => line.requestId === eventIds[0])).toBe(true);
    // Joining a delivery to the worker's lines needs a line that names the webhook id and its events.
    const unlinked = accepted.filter(
      ({ webhookId, eventIds: ids }) =>
        !texts.some((text) => text.includes(webhookId) && ids.every((id) => text.includes(`"${id}"`))),
    );
    expect
      .soft(
        unlinked.map((d) => d.webhookId),
        'deliveries no line links to their event ids',
      )
      .toEqual([]);
    const failed = named('event failed');
    expect(failed.length).toBeGreaterThan(0);
    expect
      .soft(
        failed.filter((line) => line.eventId === undefined).map((line) => line.messageId),
        '"event failed" lines without the event id (SQS message ids shown)',
      )
      .toEqual([]);
  });

  it('detects a secret printed through any channel (positive control of the capture)', () => {
    const canary = `canary-${randomBytes(16).toString('hex')}`;
    const control = captureOutput();
    const controlLog = createCapturingLog();
    try {
      logger.debug('canary', { value: `${canary}-powertools` });
      console.error(`${canary}-console`);
      process.stdout.write(`${canary}-stdout\n`);
      controlLog.warn('canary', { error: new Error('boom', { cause: { token: `${canary}-log` } }) });
    } finally {
      control.stop();
    }
    const text = `${control.text()}\n${controlLog.text()}`;
    for (const channel of ['powertools', 'console', 'stdout', 'log']) {
      expect(leaked([`${canary}-${channel}`], text)).toHaveLength(1);
    }
  });
});
