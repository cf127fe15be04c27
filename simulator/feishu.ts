import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { systemClock } from '../lib/shared/clock.js';
import { credential, type Delivery, deliver, startVendorServer, type VendorAnswer } from './vendor-server.js';

/**
 * A Feishu/Lark simulator for tests and `npm start` (docs/connectors.md "Feishu/Lark"): the
 * Open API the connector calls (tenant_access_token, GET contact v3 user) and a sender that
 * posts contact v3 user events encrypted with the Encrypt Key and signed like Feishu. It never
 * imports lib/connectors: encryption and signature are written here from Feishu's description.
 * Error codes other than 0, 41050 and 99991663 are the simulator's own.
 */

export interface FeishuUserRecord {
  open_id: string;
  union_id: string;
  user_id: string;
  name: string;
  en_name?: string;
  email?: string;
  enterprise_email?: string;
  job_title?: string;
  employee_no?: string;
  /** Custom department ids (department_id_type=department_id). */
  department_ids?: string[];
  status: {
    is_frozen: boolean;
    is_resigned: boolean;
    is_activated: boolean;
    is_exited: boolean;
    is_unjoin: boolean;
  };
  [field: string]: unknown;
}

export interface FeishuSimulatorOptions {
  readonly appId?: string;
  readonly appSecret?: string;
  readonly encryptKey?: string;
  readonly verificationToken?: string;
  readonly tokenTtlSeconds?: number;
  readonly clock?: { now(): number };
}

export interface FeishuSendOptions {
  /** Default true; false sends no X-Lark-* headers. */
  readonly sign?: boolean;
  readonly timestamp?: string;
  /** Encrypt and sign with other values (forgery tests). */
  readonly encryptKey?: string;
  readonly signKey?: string;
  /** Send the JSON unencrypted. */
  readonly plain?: boolean;
  readonly tamper?: (body: string) => string;
  /** Extra request headers (e.g. a Content-Encoding the connector must refuse). */
  readonly headers?: Record<string, string>;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const ACTIVE = {
  is_frozen: false,
  is_resigned: false,
  is_activated: true,
  is_exited: false,
  is_unjoin: false,
};
const TOKEN_INVALID = {
  code: 99991663,
  msg: 'Invalid access token for authorization. Please make a request with token attached.',
};
const NO_AUTHORITY = { code: 41050, msg: 'no user authority error' };

export const startFeishuSimulator = async (options: FeishuSimulatorOptions = {}) => {
  const appId = options.appId ?? `cli_${hex(8)}`;
  const appSecret = options.appSecret ?? hex(16);
  const encryptKey = options.encryptKey ?? hex(16);
  const verificationToken = options.verificationToken ?? hex(16);
  const clock = options.clock ?? systemClock;
  const ttl = options.tokenTtlSeconds ?? 7200;
  const users = new Map<string, FeishuUserRecord>();
  /** Users the API no longer shows (removed, or outside the app's contact scope). */
  const hidden = new Set<string>();
  const tokens = new Map<string, number>();
  const issued: string[] = [];
  const counters = { tokenRequests: 0, userReads: 0, deliveries: 0 };
  const sent: unknown[] = [];
  let eventUrl: string | undefined;

  const server = await startVendorServer((req, url, body): VendorAnswer => {
    if (req.method === 'POST' && url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
      counters.tokenRequests += 1;
      const sent = JSON.parse(body.toString('utf8') || '{}') as { app_id?: string; app_secret?: string };
      if (sent.app_id !== appId || sent.app_secret !== appSecret)
        return { status: 400, body: { code: 10014, msg: 'app secret invalid' } };
      const token = `t-${hex(20)}`;
      tokens.set(token, clock.now() + ttl * 1000);
      issued.push(token);
      return { status: 200, body: { code: 0, msg: 'ok', tenant_access_token: token, expire: ttl } };
    }
    const match = /^\/open-apis\/contact\/v3\/users\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || !match) return { status: 404, body: { code: 404, msg: 'not found' } };
    counters.userReads += 1;
    const expires = tokens.get(credential(req, 'Bearer') ?? '');
    if (expires === undefined || expires <= clock.now()) return { status: 400, body: TOKEN_INVALID };
    const idType = url.searchParams.get('user_id_type') ?? 'open_id';
    const id = decodeURIComponent(match[1]!);
    const user = [...users.values()].find((u) => u[idType] === id);
    if (!user || hidden.has(user.open_id)) return { status: 400, body: NO_AUTHORITY };
    return { status: 200, body: { code: 0, msg: 'success', data: { user } } };
  });

  const aesKey = (key: string) => createHash('sha256').update(key).digest();
  const encrypt = (plain: string, key: string) => {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-256-cbc', aesKey(key), iv);
    return Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
  };

  /** Posts one event body (a JS object) the way Feishu does: encrypted, then signed. */
  const post = async (payload: unknown, send: FeishuSendOptions = {}): Promise<Delivery> => {
    if (!eventUrl) throw new Error('Feishu simulator: setEventUrl first');
    const json = JSON.stringify(payload);
    const body = send.plain
      ? json
      : JSON.stringify({ encrypt: encrypt(json, send.encryptKey ?? encryptKey) });
    const timestamp = send.timestamp ?? String(Math.floor(clock.now() / 1000));
    const nonce = hex(8);
    const signature = createHash('sha256')
      .update(timestamp + nonce + (send.signKey ?? encryptKey) + body)
      .digest('hex');
    counters.deliveries += 1;
    sent.push(payload);
    return deliver(eventUrl, send.tamper ? send.tamper(body) : body, {
      'Content-Type': 'application/json; charset=utf-8',
      ...(send.sign !== false && {
        'X-Lark-Request-Timestamp': timestamp,
        'X-Lark-Request-Nonce': nonce,
        'X-Lark-Signature': signature,
      }),
      ...send.headers,
    });
  };

  const envelope = (eventType: string, event: unknown, header: Record<string, unknown> = {}) => ({
    schema: '2.0',
    header: {
      event_id: hex(16),
      event_type: eventType,
      create_time: String(clock.now()),
      token: verificationToken,
      app_id: appId,
      tenant_key: 'simulated-tenant',
      ...header,
    },
    event,
  });

  /** Adds a user without any event (someone who was there before the connector). */
  const put = (fields: Partial<FeishuUserRecord> & { name: string }): FeishuUserRecord => {
    const user: FeishuUserRecord = {
      open_id: `ou_${hex(16)}`,
      union_id: `on_${hex(16)}`,
      user_id: hex(4),
      status: { ...ACTIVE },
      ...fields,
    };
    users.set(user.open_id, user);
    return user;
  };

  const userOf = (openId: string) => {
    const user = users.get(openId);
    if (!user) throw new Error(`Feishu simulator: no user ${openId}`);
    return user;
  };

  /** Changes a user and sends contact.user.updated_v3 with the old values of the changed fields. */
  const update = (openId: string, changes: Partial<FeishuUserRecord>, send?: FeishuSendOptions) => {
    const before = userOf(openId);
    const old = Object.fromEntries(Object.keys(changes).map((k) => [k, before[k]]));
    const after = { ...before, ...changes };
    users.set(openId, after);
    return post(envelope('contact.user.updated_v3', { object: after, old_object: old }), send);
  };

  return {
    url: server.url,
    appId,
    appSecret,
    encryptKey,
    verificationToken,
    counters: () => ({ ...counters }),
    /** Every payload sent so far, before encryption (a retry re-sends one with `post`). */
    sentPayloads: () => [...sent],
    setEventUrl: (url: string) => {
      eventUrl = url;
    },
    user: (openId: string) => users.get(openId),
    put,
    /** 员工入职: a new user and contact.user.created_v3. */
    async createUser(fields: Partial<FeishuUserRecord> & { name: string }, send?: FeishuSendOptions) {
      const user = put(fields);
      return { user, delivery: await post(envelope('contact.user.created_v3', { object: user }), send) };
    },
    update,
    /**
     * 员工离职: the user is resigned and contact.user.deleted_v3 is sent. `hide` makes the API stop
     * showing the user (whether it still does after a resignation is unconfirmed).
     */
    async resign(openId: string, { hide = false }: { hide?: boolean } = {}) {
      const user = userOf(openId);
      users.set(openId, { ...user, status: { ...user.status, is_resigned: true, is_activated: false } });
      if (hide) hidden.add(openId);
      return post(
        envelope('contact.user.deleted_v3', {
          object: users.get(openId),
          old_object: { department_ids: user.department_ids ?? [], open_id: openId },
        }),
      );
    },
    /** Restores a resigned user (the resurrect API): contact.user.updated_v3 with the old status. */
    restore: (openId: string) => {
      hidden.delete(openId);
      return update(openId, { status: { ...ACTIVE } });
    },
    /** The API stops showing the user (moved out of the app's contact scope). */
    hide: (openId: string) => hidden.add(openId),
    /** Sends the URL verification challenge, encrypted and unsigned, as the console does on save. */
    verifyUrl: (challenge = hex(8), token = verificationToken) =>
      post({ challenge, token, type: 'url_verification' }, { sign: false }),
    /** Any event envelope (hostile and unknown-event tests). */
    sendEvent: (
      eventType: string,
      event: unknown,
      header?: Record<string, unknown>,
      send?: FeishuSendOptions,
    ) => post(envelope(eventType, event, header), send),
    post,
    /** Every tenant_access_token issued so far (hygiene tests look for them in logs). */
    issuedTokens: () => [...issued],
    /** Every issued tenant_access_token stops working (the next call answers 99991663). */
    revokeTokens: () => tokens.clear(),
    close: server.close,
  };
};
export type FeishuSimulator = Awaited<ReturnType<typeof startFeishuSimulator>>;
