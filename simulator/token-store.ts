import { randomBytes } from 'node:crypto';
import { API_CLIENT_TYPE, REFRESH_VALID_SECONDS } from './constants.js';

export interface TokenIdentity {
  /** Cap bucket: "account:<acct>" or "app:<appId>:<corpId>:<userId>" (plus client type when ≠ 72). */
  readonly key: string;
  readonly memberId: string;
  readonly clientType: number;
  readonly appId?: string;
}

export interface TokenRecord {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly identity: TokenIdentity;
  /** Whole-second epoch ms so that expireTime − createTime/1000 = validPeriod exactly (docs/meeting-api.md §1.3). */
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly refreshExpiresAt: number;
  readonly validSeconds: number;
  readonly ip: string;
}

export interface TokenStoreOptions {
  readonly now: () => number;
  readonly validSeconds: number;
  readonly cap: number;
}

const newToken = () => randomBytes(30).toString('base64url');

/**
 * Access tokens per identity (docs/meeting-api.md §1.5): clientType 72 keeps `cap` concurrent
 * tokens and the next issue silently evicts the oldest; any other clientType keeps one.
 * Sets preserve insertion order, so the first entry of a bucket is always the oldest.
 */
export class TokenStore {
  readonly #byAccess = new Map<string, TokenRecord>();
  readonly #byRefresh = new Map<string, TokenRecord>();
  readonly #byIdentity = new Map<string, Set<string>>();

  constructor(readonly options: TokenStoreOptions) {}

  issue(identity: TokenIdentity, ip: string): TokenRecord {
    const bucket = this.#bucket(identity.key);
    this.#purgeExpired(bucket);
    const cap = identity.clientType === API_CLIENT_TYPE ? this.options.cap : 1;
    while (bucket.size >= cap) this.revoke(bucket.values().next().value!);
    const createdAt = Math.floor(this.options.now() / 1000) * 1000;
    const token: TokenRecord = {
      accessToken: newToken(),
      refreshToken: newToken(),
      identity,
      createdAt,
      expiresAt: createdAt + this.options.validSeconds * 1000,
      refreshExpiresAt: createdAt + REFRESH_VALID_SECONDS * 1000,
      validSeconds: this.options.validSeconds,
      ip,
    };
    this.#byAccess.set(token.accessToken, token);
    this.#byRefresh.set(token.refreshToken, token);
    bucket.add(token.accessToken);
    return token;
  }

  /** The token if it is still valid; expired ones are dropped on sight. */
  byAccess(accessToken: string): TokenRecord | undefined {
    const token = this.#byAccess.get(accessToken);
    if (token && token.expiresAt <= this.options.now()) {
      this.revoke(accessToken);
      return undefined;
    }
    return token;
  }

  byRefresh(refreshToken: string): TokenRecord | undefined {
    const token = this.#byRefresh.get(refreshToken);
    return token && token.refreshExpiresAt > this.options.now() ? token : undefined;
  }

  revoke(accessToken: string): void {
    const token = this.#byAccess.get(accessToken);
    if (!token) return;
    this.#byAccess.delete(accessToken);
    this.#byRefresh.delete(token.refreshToken);
    // Empty buckets stay: identities are few, and issue() keeps a reference across revokes.
    this.#byIdentity.get(token.identity.key)?.delete(accessToken);
  }

  /** Drops every token of a member (used when the member is deleted). */
  revokeMember(memberId: string): void {
    for (const token of [...this.#byAccess.values()]) {
      if (token.identity.memberId === memberId) this.revoke(token.accessToken);
    }
  }

  revokeAll(): void {
    this.#byAccess.clear();
    this.#byRefresh.clear();
    this.#byIdentity.clear();
  }

  activeCount(): number {
    const now = this.options.now();
    let n = 0;
    for (const token of this.#byAccess.values()) if (token.expiresAt > now) n++;
    return n;
  }

  #bucket(key: string): Set<string> {
    let bucket = this.#byIdentity.get(key);
    if (!bucket) {
      bucket = new Set();
      this.#byIdentity.set(key, bucket);
    }
    return bucket;
  }

  #purgeExpired(bucket: Set<string>): void {
    const now = this.options.now();
    for (const accessToken of [...bucket]) {
      const token = this.#byAccess.get(accessToken);
      if (!token || token.expiresAt <= now) this.revoke(accessToken);
    }
  }
}
