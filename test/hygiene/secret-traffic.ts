/**
 * Records the secret-bearing values that cross the wire during a local run, by wrapping
 * globalThis.fetch (the Meeting client's and the webhook client's default transport): the
 * Authorization headers of Meeting logins (Basic with the password, or the App ID HMAC
 * signature), the tokens the simulator issues, and the webhook-signature headers of deliveries.
 * Install it before the stack builds its clients: the transport reads globalThis.fetch then.
 */
export interface SecretTraffic {
  /** Every value seen, by kind; each one must never show up in logs. */
  readonly seen: {
    readonly authorization: Set<string>;
    readonly hmacSignatures: Set<string>;
    readonly tokens: Set<string>;
    readonly webhookSignatures: Set<string>;
  };
  restore(): void;
}

const TOKEN_FIELDS = new Set(['accessToken', 'refreshToken', 'token']);

/** Token strings anywhere in a JSON value (login, refresh and validate answers differ in shape). */
const collectTokens = (value: unknown, into: Set<string>, depth = 0): void => {
  if (depth > 6 || typeof value !== 'object' || value === null) return;
  for (const [key, field] of Object.entries(value)) {
    if (TOKEN_FIELDS.has(key) && typeof field === 'string' && field.length >= 16) into.add(field);
    else collectTokens(field, into, depth + 1);
  }
};

export const recordSecretTraffic = (): SecretTraffic => {
  const original = globalThis.fetch;
  const seen = {
    authorization: new Set<string>(),
    hmacSignatures: new Set<string>(),
    tokens: new Set<string>(),
    webhookSignatures: new Set<string>(),
  };

  const recordRequest = (headers: Headers) => {
    const authorization = headers.get('authorization');
    if (authorization) {
      seen.authorization.add(authorization);
      // The credential part alone, e.g. base64(account:password) or the HMAC hex.
      const basic = /^Basic\s+(\S+)/i.exec(authorization)?.[1];
      if (basic) seen.authorization.add(basic);
      const hmac = /signature=([0-9a-f]+)/i.exec(authorization)?.[1];
      if (hmac) seen.hmacSignatures.add(hmac);
    }
    const token = headers.get('x-access-token');
    if (token) seen.tokens.add(token);
    for (const entry of headers.get('webhook-signature')?.split(' ') ?? []) {
      const signature = entry.replace(/^v\d+,/, '');
      if (signature.length >= 16) seen.webhookSignatures.add(signature);
    }
  };

  globalThis.fetch = async (input, init) => {
    recordRequest(new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)));
    const response = await original(input, init);
    if (response.headers.get('content-type')?.includes('json')) {
      try {
        collectTokens(await response.clone().json(), seen.tokens);
      } catch {
        // Not JSON after all: nothing to collect.
      }
    }
    return response;
  };
  return {
    seen,
    restore() {
      globalThis.fetch = original;
    },
  };
};
