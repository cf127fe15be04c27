import {
  appAuthSignature,
  parseBasicCredentials,
  parseHmacAuthorization,
  safeEqual,
} from './auth-headers.js';
import { API_CLIENT_TYPE, DEMO_CREDENTIALS, ERROR_CODE, ROOT_DEPT } from './constants.js';
import { SimError, tokenInvalid } from './errors.js';
import { header } from './http.js';
import { createMember } from './member-ops.js';
import type { MemberRecord } from './member-store.js';
import type { Call, Handler, Reply } from './route-types.js';
import type { TokenIdentity, TokenRecord } from './token-store.js';
import { asObject, optBool, optInt, optStr, reqBool, reqInt, reqStr } from './validation.js';
import { tokenView } from './views.js';

/** Token endpoints (docs/meeting-api.md §1.1-§1.4, legacy login §7). */

const MAX_CLIENT_TYPE = 1000;

const wrongCredentials = () => new SimError(401, ERROR_CODE.wrongCredentials, 'wrong account or password');
const appIdFailed = (why: string) =>
  new SimError(401, ERROR_CODE.appIdAuthFailed, `App ID authentication failed: ${why}`);

const issue = (
  call: Call,
  member: MemberRecord,
  identity: Omit<TokenIdentity, 'memberId'>,
  withUser = true,
): Reply => {
  if (member.status === 1) throw new SimError(412, ERROR_CODE.accountDisabled, 'account is disabled');
  const token = call.world.tokens.issue({ ...identity, memberId: member.id }, call.ip);
  call.counters.tokenIssued();
  return { body: tokenView(token, call.world, withUser) };
};

/** clientType 72 shares a 64-token bucket; any other type gets a single-token bucket of its own. */
const bucketKey = (base: string, clientType: number) =>
  clientType === API_CLIENT_TYPE ? base : `${base}#clientType=${clientType}`;

/**
 * Account + password. Any member that has a password can log in (the demo admin always can);
 * the header's account must match the body's.
 */
const accountLogin = (call: Call, clientTypeRequired: boolean): Reply => {
  const o = asObject(call.body);
  const account = reqStr(o, 'account', 255);
  const clientType = clientTypeRequired
    ? reqInt(o, 'clientType', 0, MAX_CLIENT_TYPE)
    : (optInt(o, 'clientType', 0, MAX_CLIENT_TYPE) ?? 0);
  const createTokenType = optInt(o, 'createTokenType', 0, 1) ?? 0;
  const credentials = parseBasicCredentials(header(call.headers, 'authorization'));
  if (!credentials || credentials.account !== account) throw wrongCredentials();
  const member = call.world.members.find(account, 0);
  if (!member?.password || !safeEqual(credentials.password, member.password)) throw wrongCredentials();
  // createTokenType 1: verify the credentials only, issue nothing.
  if (createTokenType === 1) return {};
  return issue(call, member, { key: bucketKey(`account:${account}`, clientType), clientType });
};

export const authAccount: Handler = (call) => accountLogin(call, true);
export const authLegacy: Handler = (call) => accountLogin(call, false);

/**
 * App ID: verifies HMAC-SHA256(appKey, appId[:corpId]:userId:expireTime:nonce). Without
 * userId the token belongs to the enterprise default admin; with an unknown userId the
 * platform auto-registers that third-party user (docs/meeting-api.md §1.2 caveat), and so does the simulator.
 */
export const authAppId: Handler = (call) => {
  const o = asObject(call.body);
  const appId = reqStr(o, 'appId', 64);
  const clientType = reqInt(o, 'clientType', 0, MAX_CLIENT_TYPE);
  const expireTime = reqInt(o, 'expireTime', 0, Number.MAX_SAFE_INTEGER);
  const nonce = reqStr(o, 'nonce', 64, 32);
  const userId = optStr(o, 'userId', 64) || undefined;
  const corpId = optStr(o, 'corpId', 64) || undefined;
  const deptCode = optStr(o, 'deptCode', 32) || undefined;
  const userName = optStr(o, 'userName', 64) || undefined;
  const userEmail = optStr(o, 'userEmail', 255) || undefined;
  const userPhone = optStr(o, 'userPhone', 32) || undefined;

  // Both are mandatory in the current documentation (docs/meeting-api.md §1.2, §8 D8), although older SDKs omit them.
  const auth = parseHmacAuthorization(header(call.headers, 'authorization'));
  if (!auth) throw appIdFailed('missing or malformed Authorization header');
  if (auth.appId === undefined) throw appIdFailed('Authorization lacks access=Base64(appId)');
  if (auth.appId !== appId) throw appIdFailed('access does not match appId');
  if (header(call.headers, 'x-token-type')?.toLowerCase() !== 'longticket') {
    throw appIdFailed('the X-Token-Type: LongTicket header is required');
  }
  if (appId !== DEMO_CREDENTIALS.appId) throw appIdFailed('unknown appId');
  const expected = appAuthSignature(DEMO_CREDENTIALS.appKey, { appId, corpId, userId, expireTime, nonce });
  if (!safeEqual(auth.signature.toLowerCase(), expected)) throw appIdFailed('signature mismatch');
  if (expireTime !== 0 && expireTime * 1000 <= call.world.now()) {
    throw new SimError(
      401,
      ERROR_CODE.appIdAuthExpired,
      'App ID authentication expired (expireTime is past)',
    );
  }

  const world = call.world;
  const member = !userId
    ? world.owner
    : (world.members.byThirdAccount(userId) ??
      createMember(world, {
        name: userName ?? userId,
        thirdAccount: userId,
        email: userEmail,
        phone: userPhone,
        deptCode: deptCode && world.depts.get(deptCode) ? deptCode : ROOT_DEPT,
      }));
  return issue(call, member, {
    key: bucketKey(`app:${appId}:${corpId ?? ''}:${userId ?? ''}`, clientType),
    clientType,
    appId,
  });
};

const liveToken = (call: Call, token: TokenRecord | undefined): TokenRecord => {
  if (!token || !call.world.members.byId(token.identity.memberId)) throw tokenInvalid();
  return token;
};

/** Refresh: X-Access-Token carries the refresh token (current docs) or the access token (2023 docs). */
export const refreshToken: Handler = (call) => {
  const presented = header(call.headers, 'x-access-token') ?? '';
  const tokens = call.world.tokens;
  const old = liveToken(call, tokens.byRefresh(presented) ?? tokens.byAccess(presented));
  const member = call.world.members.byId(old.identity.memberId)!;
  const { memberId: _, ...identity } = old.identity;
  return issue(call, member, identity);
};

export const validateToken: Handler = (call) => {
  const o = asObject(call.body);
  const presented = reqStr(o, 'token', 1024);
  const needGenNewToken = reqBool(o, 'needGenNewToken');
  const needAccountInfo = optBool(o, 'needAccountInfo') ?? false;
  const token = liveToken(call, call.world.tokens.byAccess(presented));
  if (!needGenNewToken) return { body: tokenView(token, call.world, needAccountInfo) };
  const member = call.world.members.byId(token.identity.memberId)!;
  const { memberId: _, ...identity } = token.identity;
  return issue(call, member, identity, needAccountInfo);
};

export const logout: Handler = (call) => {
  const token = liveToken(call, call.world.tokens.byAccess(header(call.headers, 'x-access-token') ?? ''));
  call.world.tokens.revoke(token.accessToken);
  return {};
};
