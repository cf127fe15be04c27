import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WebhookConfigError } from '../../lib/webhook/errors.js';
import { LOCAL_TEST_SECRET, parseWebhookSecrets } from '../../lib/webhook/secrets.js';
import { thrownBy } from '../helpers/errors.js';
import { SECRET_A, SECRET_B } from './oracle.js';

const whsec = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;

const configError = (value: string): WebhookConfigError =>
  thrownBy(() => parseWebhookSecrets(value), WebhookConfigError);

describe('parseWebhookSecrets', () => {
  it('parses one or more whitespace-separated secrets into redacted Secrets', () => {
    const secrets = parseWebhookSecrets(`  ${SECRET_A}\n ${SECRET_B}  `);
    expect(secrets.map((s) => s.reveal())).toEqual([SECRET_A, SECRET_B]);
    const printed = [JSON.stringify(secrets), String(secrets[0]), inspect(secrets)].join(' ');
    expect(printed).not.toContain('whsec_');
  });

  it('accepts 24-64 decoded bytes, not 23 or 65', () => {
    expect(parseWebhookSecrets(`${whsec(24)} ${whsec(64)}`)).toHaveLength(2);
    expect(configError(whsec(23)).message).toBe(
      'webhook secret entry 1 of 1 decodes to 23 bytes: expected whsec_ followed by base64 of 24-64 bytes',
    );
    expect(configError(`${SECRET_A} ${whsec(65)}`).message).toMatch(
      /^webhook secret entry 2 of 2 decodes to 65 bytes/,
    );
  });

  it('names the bad entry without echoing it', () => {
    const bad = [
      'sk_live_abcdefghijklmnopqrstuvwxyz0123456789',
      'whsec_not*base64*at*all*but*long*enough',
      'whsec_YWJj',
    ];
    for (const value of bad) {
      const error = configError(`${SECRET_A} ${value}`);
      expect(error.kind).toBe('config');
      expect(error.message).toMatch(/^webhook secret entry 2 of 2 /);
      expect(`${error.message} ${inspect(error)}`).not.toContain(value.slice(6, 20));
      expect(error.message).not.toContain(SECRET_A.slice(6));
    }
    expect(configError('   ').message).toMatch(/none given/);
    expect(configError(Array(11).fill(SECRET_A).join(' ')).message).toBe(
      'webhook secrets: 11 given, at most 10',
    );
  });

  it('ships a local test secret that is itself valid', () => {
    expect(parseWebhookSecrets(LOCAL_TEST_SECRET)[0]?.reveal()).toBe(LOCAL_TEST_SECRET);
  });
});
