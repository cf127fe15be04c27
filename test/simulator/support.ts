import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  DEMO_CREDENTIALS,
  type MeetingSimulator,
  type SimulatorOptions,
  startMeetingSimulator,
} from '../../simulator/index.js';

/** Raw-HTTP helpers for the simulator's own tests (no client code: the wire is what we test). */

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export const fakeClock = (start = Date.UTC(2025, 0, 1)): FakeClock => {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
};

/** One simulator per file; state, counters and faults back to the start options before each test. */
export const useSim = (options: SimulatorOptions = {}): { readonly sim: MeetingSimulator } => {
  let sim: MeetingSimulator | undefined;
  beforeAll(async () => {
    sim = await startMeetingSimulator(options);
  });
  afterAll(() => sim?.close());
  beforeEach(() => sim?.reset());
  return {
    get sim() {
      return sim!;
    },
  };
};

/** A simulator per test, each with its own start options; closed after the test. */
export const useFreshSim = () => {
  let current: MeetingSimulator | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    start: async (options: SimulatorOptions = {}): Promise<MeetingSimulator> => {
      await current?.close();
      current = await startMeetingSimulator(options);
      return current;
    },
    get sim(): MeetingSimulator {
      if (!current) throw new Error('no simulator started in this test');
      return current;
    },
  };
};

export interface Res {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON
  readonly body: any;
}

export interface CallInit {
  readonly token?: string;
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export const call = async (base: string, method: string, path: string, init: CallInit = {}): Promise<Res> => {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers['X-Access-Token'] = init.token;
  let body = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${base}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: text ? JSON.parse(text) : undefined };
};

/**
 * Calls as the demo admin against the file's simulator, with a fresh token before each test
 * (register after `useSim`, whose reset runs first). `init` may add headers or a raw body.
 */
export const useAdminApi = (handle: { readonly sim: MeetingSimulator }) => {
  let token = '';
  beforeEach(async () => {
    token = await adminToken(handle.sim.url);
  });
  return (method: string, path: string, body?: unknown, init: Omit<CallInit, 'token' | 'body'> = {}) =>
    call(handle.sim.url, method, path, { ...init, token, body });
};

export const basic = (account: string, password: string) =>
  `Basic ${Buffer.from(`${account}:${password}`, 'utf8').toString('base64')}`;

export const loginAccount = async (
  base: string,
  account: string = DEMO_CREDENTIALS.account,
  password: string = DEMO_CREDENTIALS.password,
): Promise<Res> =>
  call(base, 'POST', '/v1/usg/acs/auth/account', {
    headers: { Authorization: basic(account, password) },
    body: { account, clientType: 72 },
  });

/** A token for the demo admin (fails the test if login fails). */
export const adminToken = async (base: string): Promise<string> => {
  const res = await loginAccount(base);
  if (res.status !== 200) throw new Error(`login failed: ${res.text}`);
  return res.body.accessToken;
};

export interface AppAuth {
  appId?: string;
  appKey?: string;
  userId?: string;
  corpId?: string;
  expireTime?: number;
  nonce?: string;
  withAccess?: boolean;
  /** Send `X-Token-Type: LongTicket` (default true). */
  withTokenType?: boolean;
  upperCase?: boolean;
  /** Send corpId but sign as single-enterprise (must fail). */
  unsignedCorpId?: boolean;
}

/** App ID login signed here independently of the simulator's code (docs/meeting-api.md §1.2). */
export const loginAppId = async (base: string, a: AppAuth = {}): Promise<Res> => {
  const appId = a.appId ?? DEMO_CREDENTIALS.appId;
  const expireTime = a.expireTime ?? Math.floor(Date.now() / 1000) + 600;
  const nonce = a.nonce ?? randomUUID().replaceAll('-', '');
  const signedCorp = a.corpId && !a.unsignedCorpId ? [a.corpId] : [];
  const text = [appId, ...signedCorp, a.userId ?? '', expireTime, nonce].join(':');
  let signature = createHmac('sha256', a.appKey ?? DEMO_CREDENTIALS.appKey)
    .update(text)
    .digest('hex');
  if (a.upperCase) signature = signature.toUpperCase();
  const access = a.withAccess === false ? '' : `,access=${Buffer.from(appId).toString('base64')}`;
  return call(base, 'POST', '/v2/usg/acs/auth/appauth', {
    headers: {
      Authorization: `HMAC-SHA256 signature=${signature}${access}`,
      ...(a.withTokenType !== false && { 'X-Token-Type': 'LongTicket' }),
    },
    body: { appId, clientType: 72, expireTime, nonce, userId: a.userId, corpId: a.corpId },
  });
};

export const MEMBERS = '/v1/usg/dcs/corp/member';

let n = 0;
/** A valid AddUserDTO with unique account/thirdAccount. */
export const newMember = (over: Record<string, unknown> = {}) => {
  n++;
  return {
    name: `Member ${n}`,
    account: `member-${n}`,
    thirdAccount: `HR-${n}`,
    email: `m${n}@corp.example`,
    ...over,
  };
};
