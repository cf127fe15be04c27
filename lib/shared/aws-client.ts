import awsLite from '@aws-lite/client';

/**
 * Where an AWS client sends its calls. Empty in AWS: aws-lite then takes the region and the
 * credentials from the Lambda environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN), or on an operator's machine from the usual variables and ~/.aws files.
 * Local runs name an endpoint (dynalite, the local SQS endpoint) with placeholder credentials,
 * which those endpoints do not check, so that nothing is read from the machine.
 */
export interface AwsTarget {
  /** e.g. http://127.0.0.1:8000 */
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** Longest wait for one call, aws-lite's retries included (default AWS_CALL_TIMEOUT_MS). */
  readonly callTimeoutMs?: number;
}

export type AwsLiteClient = Awaited<ReturnType<typeof awsLite>>;

/** The plugins' methods, as aws-lite attaches them to its client (property = the plugin's service name). */
export type AwsLiteMethods = Record<string, (input: Record<string, unknown>) => Promise<unknown>>;

/**
 * An AWS client could not be set up: no region, no credentials (aws-lite looked in the
 * environment, ~/.aws and the instance metadata). `service` marks it as an AWS failure, as
 * aws-lite marks its calls' failures; the cause is aws-lite's own error.
 */
export class AwsSetupError extends Error {
  override readonly name = 'AwsSetupError';
  readonly service = 'aws-lite';

  constructor(cause: unknown) {
    const said =
      cause instanceof Error
        ? cause.message
        : typeof cause === 'object' && cause !== null
          ? `${String((cause as { metadata?: { service?: unknown } }).metadata?.service ?? 'AWS')} answered ${String((cause as { statusCode?: unknown }).statusCode ?? 'an error')}`
          : String(cause);
    super(`AWS client setup failed: ${said}`, { cause });
  }
}

/**
 * An aws-lite client (https://aws-lite.org), created on first use and then shared: creating one
 * is asynchronous (it may read ~/.aws on an operator's machine), and nothing should happen at
 * module load. A failed creation is not kept, so the next call tries again.
 *
 * aws-lite rather than AWS SDK v3: loading the SDK's clients was most of each function's cold
 * start (docs/design.md "Cold start"). It signs with SigV4, retries throttling, 5xx and network
 * errors with backoff and jitter (5 retries), and reuses connections.
 */
export const lazyAwsClient = (
  target: AwsTarget,
  plugins: readonly unknown[] = [],
  extra: Record<string, unknown> = {},
): (() => Promise<AwsLiteClient>) => {
  let pending: Promise<AwsLiteClient> | undefined;
  return () => {
    pending ??= awsLite({
      ...extra,
      ...(target.endpoint && { endpoint: target.endpoint }),
      ...(target.region && { region: target.region }),
      ...(target.credentials && {
        accessKeyId: target.credentials.accessKeyId,
        secretAccessKey: target.credentials.secretAccessKey,
      }),
      // Region (and profile) from ~/.aws/config when nothing else names one, as the AWS CLI does;
      // aws-lite never reads these files inside Lambda, and a machine without them is fine.
      awsConfigFile: true,
      plugins: [...plugins],
    } as Parameters<typeof awsLite>[0]).catch((error: unknown) => {
      pending = undefined;
      throw new AwsSetupError(error);
    });
    return pending;
  };
};

/** Placeholder credentials and region for a local endpoint (dynalite, the local SQS endpoint). */
export const localAwsTarget = (endpoint: string): AwsTarget => ({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});

/**
 * How long one call (aws-lite's own retries included) may take before we stop waiting: aws-lite
 * has no request timeout, and a hung connection must not hold an invocation until it is killed.
 * A call that times out is classified like one that got no answer (retryable).
 */
export const AWS_CALL_TIMEOUT_MS = 10_000;

/** Stops waiting for `call` when `signal` aborts or the call outlives AWS_CALL_TIMEOUT_MS. */
export const abortable = <T>(
  call: Promise<T>,
  caller?: AbortSignal,
  timeoutMs = AWS_CALL_TIMEOUT_MS,
): Promise<T> => {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = caller ? AbortSignal.any([caller, timeout]) : timeout;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
};
