import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/shared/observability.js';
import { startLocalStack } from '../../local/stack.js';
import { startVendorSimulators, type VendorSimulators } from '../../local/vendor-simulators.js';
import { captureOutput, type OutputCapture } from '../helpers/log-capture.js';

// The functions' logger reads its level when its module loads: hoisted above the imports.
vi.hoisted(() => {
  vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
});

let vendors: VendorSimulators;
let output: OutputCapture;

/** Both connectors through their good and bad paths, everything logged at DEBUG. */
beforeAll(async () => {
  vendors = await startVendorSimulators();
  output = captureOutput();
  const stack = await startLocalStack({ env: vendors.env, log: logger, startWorker: true });
  try {
    vendors.connect(stack);
    const { bamboohr, feishu } = vendors;
    const { id } = await bamboohr.hire({
      firstName: 'Ada',
      lastName: 'Lovelace',
      workEmail: 'ada@corp.example',
    });
    bamboohr.failNextReads(401, 503);
    await bamboohr.update(id, { jobTitle: 'x' });
    await bamboohr.update(id, { department: 'y' });
    await bamboohr.send('employee.updated', id, { privateKey: 'forged-private-key' });
    await bamboohr.send('employee.updated', '404');
    await feishu.verifyUrl();
    const { user } = await feishu.createUser({ name: 'Zhang', enterprise_email: 'z@corp.example' });
    feishu.revokeTokens();
    await feishu.update(user.open_id, { job_title: 'PM' });
    await feishu.sendEvent('contact.user.created_v3', { object: user }, { token: 'forged' });
    await feishu.sendEvent('contact.user.created_v3', { object: user }, {}, { signKey: 'forged' });
    feishu.hide(user.open_id);
    await feishu.update(user.open_id, { job_title: 'Lead' });
    await stack.drain();
  } finally {
    await stack.stop();
    output.stop();
  }
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  await vendors?.close();
});

describe('connector secret hygiene', () => {
  it('logged the paths it claims to cover', () => {
    const messages = output.jsonLines().map((l) => String(l.message));
    for (const message of [
      'connector event enqueued',
      'connector request rejected',
      'connector notification dead-lettered',
      'connector delivery failed; the vendor will retry',
    ])
      expect(messages).toContain(message);
    expect(vendors.feishu.issuedTokens().length).toBe(2);
  });

  it('never prints a key, a secret, a token or a signature', () => {
    const { bamboohr, feishu } = vendors;
    const secrets = [
      bamboohr.privateKey,
      bamboohr.apiKey,
      Buffer.from(`${bamboohr.apiKey}:x`).toString('base64'),
      feishu.appSecret,
      feishu.encryptKey,
      feishu.verificationToken,
      ...feishu.issuedTokens(),
    ];
    const text = output.text();
    const leaked = secrets
      .filter((s) => text.includes(s))
      .map((s) => `${s.slice(0, 4)}… (${s.length} chars)`);
    expect(leaked).toEqual([]);
  });
});
