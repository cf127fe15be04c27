/**
 * Prints a freshly signed API Gateway HTTP API event for local invokes, or a curl command:
 *   npm run -s sign-event -- [body.json] | sls invoke local -f hrWebhook -p -
 *   npm run -s sign-event -- [body.json] --curl http://localhost:3000/hr/events | sh
 * The body must be a valid delivery (lib/events: one event or an array, bare or CloudEvents);
 * --force signs anything (to try the webhook's own error answers). Signs with the first
 * WEBHOOK_SECRETS entry, or LOCAL_TEST_SECRET when that is unset.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseDeliveryJson } from '../lib/events/index.js';
import { LOCAL_TEST_SECRET, parseWebhookSecrets, signWebhook } from '../lib/webhook/index.js';
import { runMain } from './cli.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
/** API Gateway's requestContext.time format, e.g. "05/Jan/2026:01:30:05 +0000". */
const gatewayTime = (date: Date) => {
  const [, day, month, year, time] = date.toUTCString().replace(',', '').split(' ');
  return `${day}/${month}/${year}:${time} +0000`;
};

runMain(async () => {
  const { values, positionals } = parseArgs({
    options: { curl: { type: 'string' }, force: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const bodyPath = positionals[0] ?? join(root, 'events', 'hr', 'employee.hired.json');
  // Sent byte for byte as read: the signature covers the exact body.
  const body = readFileSync(bodyPath, 'utf8');
  const delivery = parseDeliveryJson(body);
  if (!delivery.ok && !values.force) {
    const problems = delivery.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
    console.error(
      `sign-event: ${bodyPath} is not a valid delivery: ${problems}: fix it, or add --force to sign it anyway`,
    );
    return 1;
  }

  const configured = process.env.WEBHOOK_SECRETS;
  const secret = configured ? parseWebhookSecrets(configured)[0]! : LOCAL_TEST_SECRET;
  if (!configured)
    console.error('sign-event: WEBHOOK_SECRETS is unset; signing with LOCAL_TEST_SECRET (local only)');

  const now = new Date();
  const signed = signWebhook({
    secret,
    id: `msg_${randomUUID().replaceAll('-', '')}`,
    timestamp: Math.floor(now.getTime() / 1000),
    body,
  });
  const headers = { 'content-type': 'application/json', ...signed };

  if (values.curl) {
    const flags = Object.entries(headers).map(([name, value]) => `-H ${shellQuote(`${name}: ${value}`)}`);
    console.log(
      ['curl -sS -X POST', shellQuote(values.curl), ...flags, `--data-binary @${shellQuote(bodyPath)}`].join(
        ' ',
      ),
    );
  } else {
    const event = JSON.parse(readFileSync(join(root, 'events', 'triggers', 'api-gateway-http.json'), 'utf8'));
    event.headers = { ...event.headers, ...headers, 'content-length': String(Buffer.byteLength(body)) };
    event.body = body;
    event.requestContext.requestId = randomUUID();
    event.requestContext.time = gatewayTime(now);
    event.requestContext.timeEpoch = now.getTime();
    console.log(JSON.stringify(event, null, 2));
  }
  return 0;
});
