import type { Clock } from '../shared/clock.js';
import { type ConnectorRejection, rejection } from './errors.js';

/**
 * A vendor's request timestamp as epoch ms: Unix seconds (≤ 10 digits), Unix ms (13 digits) or
 * an ISO 8601 / RFC 2822 date (also `+0000` offsets). Undefined when unreadable: callers refuse
 * the request then, so a freshness check is never skipped.
 */
export const parseVendorTimestamp = (value: string): number | undefined => {
  const text = value.trim();
  if (text === '' || text.length > 64) return undefined;
  if (/^\d{1,10}$/.test(text)) return Number(text) * 1000;
  if (/^\d{13}$/.test(text)) return Number(text);
  if (/^\d+$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
};

/** Whether `timestampMs` lies within `toleranceSeconds` of `nowMs`, both ways. */
export const isFresh = (timestampMs: number, nowMs: number, toleranceSeconds: number): boolean =>
  Math.abs(nowMs - timestampMs) <= toleranceSeconds * 1000;

/**
 * Checks a request timestamp (header `name`, as the vendor spells it): a rejection when it is
 * unreadable (400) or outside `toleranceSeconds` of now (401, a replay); undefined when fresh.
 */
export const timestampCheck =
  (clock: Clock, toleranceSeconds: number) =>
  (name: string, value: string): ConnectorRejection | undefined => {
    const sentAt = parseVendorTimestamp(value);
    if (sentAt === undefined) return rejection('badTimestamp', `${name} is not a readable time`);
    if (!isFresh(sentAt, clock.now(), toleranceSeconds)) {
      return rejection('staleTimestamp', `${name} is outside the accepted window (${toleranceSeconds} s)`);
    }
    return undefined;
  };
