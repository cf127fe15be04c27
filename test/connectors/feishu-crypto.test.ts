import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptFeishu, feishuAesKey } from '../../lib/connectors/feishu/crypto.js';
import { feishuSignature, verifyFeishuSignature } from '../../lib/connectors/feishu/signature.js';

describe('Feishu/Lark Encrypt Key decryption', () => {
  it('decrypts the vector of Feishu\'s own decryption samples ("test key" → "hello world")', () => {
    // The official docs' decrypt samples (docs/connectors.md "Feishu/Lark").
    expect(decryptFeishu(feishuAesKey('test key'), 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe(
      'hello world',
    );
  });

  it('derives the AES key as SHA-256 of the Encrypt Key', () => {
    expect(feishuAesKey('test key').toString('hex')).toBe(
      'fa2bdca424f01f01ffb48df93acc35d439c7fd331a1a7fba6ac2fd83aa9ab31a',
    );
  });

  it('decrypts an encrypted URL verification (not an official vector: a fixed IV, computed outside this code base)', () => {
    const encrypt =
      'AAECAwQFBgcICQoLDA0ODw9mLTIAZS9jAmGTQ1wAhHpnBHVL2wRjH9rPunQdQC1vLjsckayA10kZ8cPwtb62F8rC7JprUPR/4S2aZihfR+p8npX7UzWPithZmfKIPZgE';
    expect(JSON.parse(decryptFeishu(feishuAesKey('test key'), encrypt))).toEqual({
      challenge: 'ajls384kdjx98XX',
      token: 'xxxxxx',
      type: 'url_verification',
    });
  });

  it.each([
    ['a wrong key', 'another key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk='],
    ['not base64', 'test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk!'],
    ['no ciphertext after the IV', 'test key', Buffer.alloc(16).toString('base64')],
    ['a partial block', 'test key', Buffer.alloc(40).toString('base64')],
  ])('throws on %s', (_, key, encrypt) => {
    expect(() => decryptFeishu(feishuAesKey(key), encrypt)).toThrow();
  });
});

describe('Feishu/Lark request signature', () => {
  const body =
    '{"encrypt":"AAECAwQFBgcICQoLDA0ODw9mLTIAZS9jAmGTQ1wAhHpnBHVL2wRjH9rPunQdQC1vLjsckayA10kZ8cPwtb62F8rC7JprUPR/4S2aZihfR+p8npX7UzWPithZmfKIPZgE"}';
  // Feishu publishes no signature vector; this one was computed with Python's hashlib over
  // timestamp + nonce + key + body, as the official SDKs do (docs/connectors.md).
  const expected = 'ff6e3e58498b9f35622c9a44eba3263e5dfb5110eb7236489987524c30394427';

  it('matches the externally computed vector', () => {
    expect(feishuSignature('1700000000', 'abcdefg', 'test key', body)).toBe(expected);
    expect(verifyFeishuSignature('1700000000', 'abcdefg', 'test key', Buffer.from(body), expected)).toBe(
      true,
    );
  });

  it('is a plain SHA-256, not an HMAC', () => {
    expect(expected).toBe(createHash('sha256').update(`1700000000abcdefgtest key${body}`).digest('hex'));
  });

  it('refuses any change of timestamp, nonce, key or body', () => {
    expect(verifyFeishuSignature('1700000001', 'abcdefg', 'test key', body, expected)).toBe(false);
    expect(verifyFeishuSignature('1700000000', 'abcdefh', 'test key', body, expected)).toBe(false);
    expect(verifyFeishuSignature('1700000000', 'abcdefg', 'test kex', body, expected)).toBe(false);
    expect(verifyFeishuSignature('1700000000', 'abcdefg', 'test key', `${body} `, expected)).toBe(false);
    expect(verifyFeishuSignature('1700000000', 'abcdefg', 'test key', body, 'zz')).toBe(false);
  });
});
