import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../lib/shared/secret.js';
import { LOCAL_TEST_SECRET } from '../../lib/webhook/secrets.js';
import { createWebhookVerifier } from '../../lib/webhook/verify.js';
import { repoRoot } from '../events/fixtures.js';
import { SECRET_A, SECRET_B } from './oracle.js';

const run = async (args: string[], env: Record<string, string> = {}) => {
  const { WEBHOOK_SECRETS: _unset, ...base } = process.env;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'scripts/sign-event.ts', ...args],
    {
      cwd: repoRoot,
      env: { ...base, ...env },
    },
  );
  return stdout;
};
const verifierFor = (secret: string) => createWebhookVerifier({ secrets: [new Secret(secret)] });

describe('scripts/sign-event.ts', () => {
  it('prints a freshly signed API Gateway event (local test secret, or the first WEBHOOK_SECRETS entry)', async () => {
    const [local, configured] = await Promise.all([
      run([]),
      run(['events/hr/batch.json'], { WEBHOOK_SECRETS: `${SECRET_B} ${SECRET_A}` }),
    ]);
    const event = APIGatewayProxyEventV2Schema.parse(JSON.parse(local));
    expect(event.body).toBe(readFileSync(join(repoRoot, 'events/hr/employee.hired.json'), 'utf8'));
    expect(event.headers['content-length']).toBe(String(Buffer.byteLength(event.body!)));
    expect(verifierFor(LOCAL_TEST_SECRET).verify(event.headers, event.body!).ok).toBe(true);

    const batch = APIGatewayProxyEventV2Schema.parse(JSON.parse(configured));
    expect(verifierFor(SECRET_B).verify(batch.headers, batch.body!).ok).toBe(true);
    expect(verifierFor(SECRET_A).verify(batch.headers, batch.body!).ok).toBe(false);
  });

  it('prints a curl command whose headers sign the file it sends', async () => {
    const command = (
      await run(['events/hr/cloudevent-hired.json', '--curl', 'http://127.0.0.1:3000/hr/events'])
    ).trim();
    expect(command).toMatch(/^curl -sS -X POST 'http:\/\/127\.0\.0\.1:3000\/hr\/events' /);
    expect(command).toMatch(/ --data-binary @'events\/hr\/cloudevent-hired\.json'$/);
    const headers = Object.fromEntries(
      [...command.matchAll(/-H '([^:]+): ([^']*)'/g)].map((match) => [match[1]!, match[2]!] as const),
    );
    const body = readFileSync(join(repoRoot, 'events/hr/cloudevent-hired.json'));
    expect(verifierFor(LOCAL_TEST_SECRET).verify(headers, body).ok).toBe(true);
  });
});
