import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/shared/observability.js';
import { captureOutput, createCapturingLog } from '../helpers/log-capture.js';
import { recordSecretTraffic } from './secret-traffic.js';
import { newWebhookSecret, runAccountDay, runAppIdDay, runWrongPasswordDay } from './scripted-day.js';

vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
});

const secrets = `${newWebhookSecret()} ${newWebhookSecret()}`;
let facts: Record<string, unknown> = {};
beforeAll(async () => {
  const traffic = recordSecretTraffic();
  const capture = captureOutput();
  const log = createCapturingLog(logger);
  try {
    facts.a = await runAccountDay(log, secrets);
    facts.b = await runWrongPasswordDay(log, secrets, 'Wrong#Passw0rd-xyz');
    facts.c = await runAppIdDay(log, secrets);
  } finally {
    capture.stop();
    traffic.restore();
  }
  writeFileSync('/tmp/scratch/out.txt', capture.text());
  writeFileSync('/tmp/scratch/log.txt', log.text());
  writeFileSync('/tmp/scratch/facts.json', JSON.stringify({ facts, seen: Object.fromEntries(Object.entries(traffic.seen).map(([k, v]) => [k, [...v]])) }, null, 2));
}, 60_000);

describe('x', () => { it('y', () => { expect(1).toBe(1); }); });
