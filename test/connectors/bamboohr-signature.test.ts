import { describe, expect, it } from 'vitest';
import { bambooHrSignature, verifyBambooHrSignature } from '../../lib/connectors/bamboohr/signature.js';
import { parseVendorTimestamp } from '../../lib/connectors/timestamp.js';
import { Secret } from '../../lib/shared/secret.js';

/**
 * BambooHR publishes NO test vector for its webhook signature (its PHP sample could not be read;
 * docs/connectors.md lists this as unconfirmed). These vectors were computed outside this code
 * base with Python's hmac over body + timestamp (the construction every public implementation
 * uses) and the body of BambooHR's documented event-based example. They pin the construction;
 * they do not prove BambooHR's behaviour.
 */
const BODY =
  '{"type":"employee.updated","timestamp":"2026-01-31T18:42:00+0000","data":{"companyId":"12345","employeeId":"67890","changedFields":["firstName"]}}';
const KEY = 'test-private-key';

describe('BambooHR webhook signature', () => {
  it.each([
    ['1700000000', '7108117e33a160b18228a3a9c48efdcd16530cde46e7febc934ac7f3e15d7beb'],
    ['2026-01-31T18:42:00+0000', 'fd05b2f4e364b73ebc22020adb7e81dd641331d1700828e860513886bef4d578'],
  ])('matches the externally computed vector for timestamp %s', (timestamp, expected) => {
    expect(bambooHrSignature(KEY, BODY, timestamp)).toBe(expected);
    expect(bambooHrSignature(KEY, Buffer.from(BODY), timestamp)).toBe(expected);
    expect(verifyBambooHrSignature([new Secret(KEY)], BODY, timestamp, expected)).toBe(true);
    // Hex is case-insensitive.
    expect(verifyBambooHrSignature([new Secret(KEY)], BODY, timestamp, expected.toUpperCase())).toBe(true);
  });

  it('refuses another key, another timestamp, a changed body and a malformed header', () => {
    const good = '7108117e33a160b18228a3a9c48efdcd16530cde46e7febc934ac7f3e15d7beb';
    const key = [new Secret(KEY)];
    expect(verifyBambooHrSignature([new Secret('another-private-key')], BODY, '1700000000', good)).toBe(
      false,
    );
    expect(verifyBambooHrSignature(key, BODY, '1700000001', good)).toBe(false);
    expect(verifyBambooHrSignature(key, BODY.replace('67890', '67891'), '1700000000', good)).toBe(false);
    expect(verifyBambooHrSignature(key, BODY, '1700000000', good.slice(0, 63))).toBe(false);
    expect(verifyBambooHrSignature(key, BODY, '1700000000', `${good.slice(0, 63)}g`)).toBe(false);
    expect(verifyBambooHrSignature(key, BODY, '1700000000', `sha256=${good}`)).toBe(false);
  });

  it('accepts a signature from any active key during a rotation', () => {
    const keys = [new Secret('old-private-key-1'), new Secret(KEY)];
    expect(
      verifyBambooHrSignature(
        keys,
        BODY,
        '1700000000',
        '7108117e33a160b18228a3a9c48efdcd16530cde46e7febc934ac7f3e15d7beb',
      ),
    ).toBe(true);
  });
});

describe('vendor timestamps', () => {
  it.each([
    ['1700000000', 1_700_000_000_000],
    ['1700000000123', 1_700_000_000_123],
    ['2026-01-31T18:42:00+0000', Date.UTC(2026, 0, 31, 18, 42)],
    ['2025-02-18T15:30:00Z', Date.UTC(2025, 1, 18, 15, 30)],
  ])('reads %s', (text, ms) => {
    expect(parseVendorTimestamp(text)).toBe(ms);
  });

  it.each(['', 'yesterday', '17000000001234567', '12abc', 'x'.repeat(65)])('refuses %j', (text) => {
    expect(parseVendorTimestamp(text)).toBeUndefined();
  });
});
