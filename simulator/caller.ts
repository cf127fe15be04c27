import type { IncomingHttpHeaders } from 'node:http';
import { parseBasicToken } from './auth-headers.js';
import { ERROR_CODE } from './constants.js';
import { SimError, tokenInvalid } from './errors.js';
import { header } from './http.js';
import { ADMIN_TYPE } from './member-store.js';
import type { Dialect, RouteDef } from './route-types.js';
import type { World } from './world.js';

/** The token a request presents: X-Access-Token (current) or Basic Base64(token) (legacy). */
export const presentedToken = (dialect: Dialect, headers: IncomingHttpHeaders): string | undefined =>
  dialect === 'legacy'
    ? parseBasicToken(header(headers, 'authorization'))
    : header(headers, 'x-access-token');

/**
 * Checks the caller of a token route: unknown/expired/revoked token or a deleted member →
 * 401 USG.000000004; a member without the route's admin role → 403.
 */
export const authenticate = (route: RouteDef, headers: IncomingHttpHeaders, world: World): void => {
  const token = world.tokens.byAccess(presentedToken(route.dialect, headers) ?? '');
  const member = token && world.members.byId(token.identity.memberId);
  if (!token || !member) throw tokenInvalid();
  const allowed =
    route.role === 'owner' ? member.adminType === ADMIN_TYPE.default : member.adminType !== ADMIN_TYPE.none;
  if (!allowed) {
    const needed = route.role === 'owner' ? 'the default administrator' : 'an enterprise administrator';
    throw new SimError(403, ERROR_CODE.noPermission, `no permission: ${route.api} needs ${needed}`);
  }
};
