import { createDecipheriv, createHash } from 'node:crypto';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** AES-256 key of an Encrypt Key: SHA-256 of its UTF-8 bytes. Derive once per key. */
export const feishuAesKey = (encryptKey: string): Buffer =>
  createHash('sha256').update(encryptKey, 'utf8').digest();

/**
 * Decrypts the `encrypt` field of a Feishu/Lark event body: base64 of a 16-byte IV followed by
 * AES-256-CBC ciphertext with PKCS#7 padding (docs/connectors.md "Feishu/Lark", checked with the
 * vendor's published vector). Throws on anything malformed or a wrong key.
 *
 * Written with node:crypto rather than taken from @larksuiteoapi/node-sdk: importing only its
 * AESCipher bundles to 1.96 MB minified (199 KB gzipped, most of this bundle's 250 KB budget)
 * and adds ~85 ms of module init on every cold start, against ~20 lines here. Its decryptor
 * also decodes the ciphertext through a hex string; node:crypto's padding check is the same.
 */
export const decryptFeishu = (aesKey: Buffer, encrypted: string): string => {
  if (encrypted.length % 4 !== 0 || !BASE64.test(encrypted)) throw new Error('not base64');
  const raw = Buffer.from(encrypted, 'base64');
  if (raw.length < 32 || raw.length % 16 !== 0) throw new Error('not an IV followed by whole AES blocks');
  const decipher = createDecipheriv('aes-256-cbc', aesKey, raw.subarray(0, 16));
  return utf8.decode(Buffer.concat([decipher.update(raw.subarray(16)), decipher.final()]));
};
