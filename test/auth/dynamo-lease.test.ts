import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMeeting } from '../../lib/auth/connect-meeting.js';
import { createTokenProvider } from '../../lib/auth/index.js';
import { createDynamoTokenCache } from '../../lib/store/dynamo-token-cache.js';
import { startDynalite, type TestDynamo } from '../helpers/dynalite.js';
import { simulatorConfig, useSimulator } from '../helpers/simulator.js';

const handle = useSimulator({ latencyMs: 30 });
let dynamo: TestDynamo;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo?.close();
});

const cache = () => createDynamoTokenCache({ client: dynamo.dynamo, tableName: dynamo.tableName });

describe('token reuse across cold starts through the DynamoDB token cache (dynalite)', () => {
  it('ten cold clients calling at once log in once', async () => {
    const config = simulatorConfig(handle.sim, 'account');
    const clients = Array.from({ length: 10 }, () => connectMeeting({ config, tokenCache: cache() }));
    await Promise.all(clients.flatMap((c) => Array.from({ length: 5 }, () => c.getDepartment('1'))));
    expect(handle.sim.counters()).toMatchObject({ auth: 1, calls: { getDeptAndChildren: 50 } });
  });

  it('a 401 wave across processes leads to one re-login', async () => {
    const config = simulatorConfig(handle.sim, 'appId');
    const providers = Array.from({ length: 5 }, () => createTokenProvider({ ...config, cache: cache() }));
    const clients = providers.map((tokenProvider) => connectMeeting({ config, tokenProvider }));
    await Promise.all(clients.map((c) => c.getDepartment('1')));
    handle.sim.revokeAllTokens();
    await Promise.all(clients.map((c) => c.getDepartment('1')));
    expect(handle.sim.counters().auth).toBe(2);
  });
});
