import type { ServerResponse } from 'node:http';
import { LEGACY_SUCCESS } from './constants.js';
import type { SimError } from './errors.js';
import { errorBody, sendEmpty, sendJson } from './http.js';
import type { Dialect, Reply } from './route-types.js';

/** Renders replies and API errors in the route's dialect (docs/meeting-api.md §5.1 and §7). */

// `yyyy-MM-dd HH:mm:ss.SSS` (UTC).
const achievementTime = (now: number) => new Date(now).toISOString().replace('T', ' ').slice(0, 23);

/** Legacy returnCode: the digits of the current code ("USG.201040001" → "201040001"). */
export const legacyCode = (code: string) => code.replace(/^[A-Z]+\./, '');

const envelope = (returnCode: string, returnMessage: string, requestId: string, now: number) => ({
  returnCode,
  returnMessage,
  achievementTime: achievementTime(now),
  requestId,
});

export const sendReply = (
  res: ServerResponse,
  dialect: Dialect,
  reply: Reply,
  requestId: string,
  now: number,
) => {
  if (dialect === 'legacy') {
    const data = reply.body === undefined ? {} : { data: reply.body };
    return sendJson(res, 200, { ...envelope(LEGACY_SUCCESS, 'Success', requestId, now), ...data });
  }
  if (reply.body === undefined) return sendEmpty(res, 200);
  return sendJson(res, 200, reply.body);
};

/** Current: HTTP status + error body. Legacy: always HTTP 200 with a failing returnCode. */
export const sendApiError = (
  res: ServerResponse,
  dialect: Dialect,
  error: SimError,
  requestId: string,
  now: number,
) =>
  dialect === 'legacy'
    ? sendJson(res, 200, envelope(legacyCode(error.code), error.message, requestId, now))
    : sendJson(res, error.status, errorBody(error.code, error.message, requestId), error.headers);
