import { createHash } from 'node:crypto';
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import ssm from '@aws-lite/ssm';
import type { SecretSetting } from '../../lib/config/index.js';
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

type GetParameter = (input: {
  Name: string;
  WithDecryption: boolean;
}) => Promise<{ Parameter?: { Value?: string } }>;

/**
 * Powertools Parameters over SSM GetParameter, with Powertools' cache (maxAge), through aws-lite
 * (@aws-lite/ssm) rather than Powertools' own SSMProvider, which loads AWS SDK v3's SSM client at
 * module load: that client alone was the largest part of a function's init (docs/design.md "Cold
 * start"), for a call made once per 5 minutes. The client is created on the first read. (Only
 * what we need: one parameter, optionally decrypted.)
 */
export class SsmParameterStore extends BaseProvider implements ParameterStore {
  readonly #client: () => Promise<unknown>;

  /** `target`: e.g. an endpoint for tests; default: the function's region and role. */
  constructor(target: AwsTarget = {}) {
    super({});
    this.#client = lazyAwsClient(target, [ssm]);
  }

  protected async _get(name: string, options?: { decrypt?: boolean }): Promise<string | undefined> {
    const { SSM } = (await this.#client()) as { SSM: { GetParameter: GetParameter } };
    const output = await SSM.GetParameter({ Name: name, WithDecryption: options?.decrypt === true });
    return output.Parameter?.Value;
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
