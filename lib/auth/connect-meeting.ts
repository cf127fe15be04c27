import type { MeetingConfig, MeetingCredentials } from '../config/index.js';
import { createMeetingClient, type MeetingClientOptions } from '../meeting/client.js';
import type { MeetingClient } from '../meeting/types.js';
import { createTokenProvider } from './token-provider.js';
import type { TokenCache, TokenProvider } from './types.js';

export interface ConnectMeetingOptions extends Omit<MeetingClientOptions, 'tokens'> {
  /** Shared token cache (DynamoDB for a fleet); default: in-memory for this process. */
  readonly tokenCache?: TokenCache;
  /** A provider built elsewhere (e.g. shared by several clients); overrides `tokenCache`. */
  readonly tokenProvider?: TokenProvider;
  /** Credentials as they are now, for each login (secret rotation); see TokenProviderOptions. */
  readonly currentCredentials?: () => Promise<MeetingCredentials>;
}

/** This library's token provider for a Meeting configuration. */
export const tokenProviderFor = (
  config: MeetingConfig,
  options: Pick<
    ConnectMeetingOptions,
    'tokenCache' | 'fetch' | 'clock' | 'sleep' | 'logger' | 'currentCredentials'
  > = {},
): TokenProvider =>
  createTokenProvider({
    endpoint: config.endpoint.replace(/\/+$/, ''),
    credentials: config.credentials,
    currentCredentials: options.currentCredentials,
    dialect: config.dialect,
    cache: options.tokenCache,
    fetch: options.fetch,
    clock: options.clock,
    sleep: options.sleep,
    skewSeconds: config.tokenSkewSeconds,
    timeoutMs: config.timeoutMs,
    logger: options.logger,
  });

/** The Meeting client wired to this library's token reuse: the one call every function makes. */
export const connectMeeting = (options: ConnectMeetingOptions): MeetingClient => {
  const { tokenCache, tokenProvider, currentCredentials, ...client } = options;
  return createMeetingClient({
    ...client,
    tokens: tokenProvider ?? tokenProviderFor(options.config, options),
  });
};
