import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClientBuilder } from '@huaweicloud/huaweicloud-sdk-core/ClientBuilder.js';
import type { HcClient } from '@huaweicloud/huaweicloud-sdk-core/HcClient.js';
import log4js from 'log4js';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTokenProvider } from '../../lib/auth/index.js';
import { createSdkCoreCredential } from '../../lib/auth/sdk-core-credential.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator();

// sdk-core itself logs the whole axios config, X-Access-Token included, to stdout on every
// HTTP error (DefaultHttpClient → log4js at level debug). Not ours to fix; keep it out of the
// test output. Production users of the adapter must do the same (see lib/auth/sdk-core-credential.ts).
beforeAll(() => {
  log4js.configure({
    appenders: { out: { type: 'stdout' } },
    categories: { default: { appenders: ['out'], level: 'off' } },
  });
});

const listMembers = (client: HcClient) =>
  client.sendRequest<{ count?: number; httpStatusCode?: number }>({
    method: 'GET',
    url: '/v1/usg/dcs/corp/member',
    contentType: 'application/json',
    queryParams: { offset: 0, limit: 10 },
    pathParams: {},
    headers: {},
  });

/** An official HcClient on the simulator, signing with our credential adapter. */
const officialClient = () => {
  const credential = createSdkCoreCredential(createTokenProvider(simulatorConfig(handle.sim, 'account')));
  const client = new ClientBuilder<HcClient>((hc) => hc)
    .withCredential(credential)
    .withEndpoint(handle.sim.url)
    .build();
  return { credential, client };
};

describe('sdk-core ICredential adapter', () => {
  it('an official HcClient sends X-Access-Token with one reused token (20 calls → 1 auth)', async () => {
    const { client } = officialClient();
    for (let i = 0; i < 20; i++) {
      const page = await listMembers(client);
      expect(page.httpStatusCode).toBe(200);
      expect(page.count).toBeGreaterThanOrEqual(1);
    }
    expect(handle.sim.counters()).toMatchObject({ auth: 1, calls: { listMembers: 20 } });
  });

  it('invalidate() after a 401 makes the next request log in once', async () => {
    const { credential, client } = officialClient();
    await listMembers(client);
    handle.sim.revokeAllTokens();
    await expect(listMembers(client)).rejects.toMatchObject({ httpStatusCode: 401 });
    await credential.invalidate();
    expect((await listMembers(client)).httpStatusCode).toBe(200);
    expect(handle.sim.counters().auth).toBe(2);
  });

  it('is the only file in lib/ that refers to sdk-core, and only for types', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
      );
    const usesSdkCore = /(from|import\(|require\()\s*['"]@huaweicloud\/huaweicloud-sdk-core/;
    const users = files('lib').filter((f) => usesSdkCore.test(readFileSync(f, 'utf8')));
    expect(users).toEqual([join('lib', 'auth', 'sdk-core-credential.ts')]);
    const imports = readFileSync(users[0]!, 'utf8').match(/^import .*sdk-core.*$/gm) ?? [];
    expect(imports.length).toBeGreaterThan(0);
    expect(imports.every((line) => line.startsWith('import type'))).toBe(true);
  });
});
