import { createHash } from 'node:crypto';
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import type { SecretSetting } from '../../lib/config/settings.js';
import { type AwsTarget, lazyAwsClient } from '../../lib/shared/aws-client.js';

/** What reading secrets needs from Powertools Parameters (its SSMProvider satisfies it). */
export interface ParameterStore {
  get(name: string, options: { decrypt: boolean; maxAge: number }): Promise<unknown>;
}

/**
 * Secrets are re-read at most this long after they were fetched, so a rotated or revoked secret
 * reaches warm functions within 5 minutes (Powertools caches each value for maxAge seconds).
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/**
 * Powertools Parameters over SSM GetParameter, with Powertools' cache (maxAge), through aws-lite
 * rather than Powertools' own SSMProvider, which loads AWS SDK v3's SSM client at module load:
 * that client alone was the largest part of a function's init (docs/design.md "Cold start"), for
 * a call made once per 5 minutes. One call in SSM's JSON protocol on aws-lite's client (signed,
 * retried), not the @aws-lite/ssm plugin: 20 KB of bundle to describe ~60 calls we never make.
 * The client is created on the first read. (Only what we need: one parameter, optionally decrypted.)
 */
export class SsmParameterStore extends BaseProvider implements ParameterStore {
  readonly #client: ReturnType<typeof lazyAwsClient>;

  /** `target`: e.g. an endpoint for tests; default: the function's region and role. */
  constructor(target: AwsTarget = {}) {
    super({});
    this.#client = lazyAwsClient(target);
  }

  protected async _get(name: string, options?: { decrypt?: boolean }): Promise<string | undefined> {
    const aws = await this.#client();
    const { payload } = await aws({
      service: 'ssm',
      headers: { 'X-Amz-Target': 'AmazonSSM.GetParameter', 'content-type': 'application/x-amz-json-1.1' },
      awsjson: false,
      payload: { Name: name, WithDecryption: options?.decrypt === true },
    });
    const value = (payload as { Parameter?: { Value?: unknown } } | null)?.Parameter?.Value;
    return typeof value === 'string' ? value : undefined;
  }

  protected _getMultiple(): Promise<Record<string, unknown> | undefined> {
    return Promise.reject(new Error('SsmParameterStore reads single parameters only'));
  }
}

export interface SecretReader {
  /**
   * The setting's current value. Values read from SSM are parsed again only when they change, and
   * the same object is returned while they do not, so callers rebuild what depends on a secret
   * (a verifier, credentials) only after a rotation.
   */
  read<T>(setting: SecretSetting<T>): Promise<T>;
}

export interface SecretReaderOptions {
  /** Default: SSM (SsmParameterStore), created on first use. */
  readonly parameters?: () => Promise<ParameterStore>;
  readonly maxAgeSeconds?: number;
}

const digest = (raw: string) => createHash('sha256').update(raw).digest('hex');

export const createSecretReader = (options: SecretReaderOptions = {}): SecretReader => {
  const maxAge = Math.min(options.maxAgeSeconds ?? SECRET_MAX_AGE_SECONDS, SECRET_MAX_AGE_SECONDS);
  let store: Promise<ParameterStore> | undefined;
  const openStore = () => {
    store ??= (options.parameters ?? (async () => new SsmParameterStore()))().catch((error: unknown) => {
      store = undefined;
      throw error;
    });
    return store;
  };
  // Last parsed value per parameter, keyed by a digest so the raw secret is not kept twice.
  const parsed = new Map<string, { digest: string; value: unknown }>();
  return {
    async read<T>(setting: SecretSetting<T>): Promise<T> {
      if (setting.source === 'value') return setting.value;
      const raw = await (await openStore()).get(setting.parameter, { decrypt: true, maxAge });
      if (typeof raw !== 'string') {
        throw new TypeError(`${setting.setting}: parameter ${setting.parameter} has no text value`);
      }
      const key = digest(raw);
      const last = parsed.get(setting.parameter);
      if (last?.digest === key) return last.value as T;
      const value = setting.parse(raw);
      parsed.set(setting.parameter, { digest: key, value });
      return value;
    },
  };
};
