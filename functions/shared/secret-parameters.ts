import { getParametersByName } from '@aws-lambda-powertools/parameters/ssm';

/** Settings that hold secrets; in AWS each is read from SSM Parameter Store (SecureString). */
const SECRET_SETTINGS = [
  'MEETING_PASSWORD',
  'MEETING_APP_KEY',
  'WEBHOOK_SECRETS',
  // Connectors (docs/connectors.md); read only by the function whose connector is enabled.
  'BAMBOOHR_WEBHOOK_KEYS',
  'BAMBOOHR_API_KEY',
  'FEISHU_APP_SECRET',
  'FEISHU_ENCRYPT_KEY',
  'FEISHU_VERIFICATION_TOKEN',
] as const;

/**
 * Returns env with each secret setting filled from the SSM parameter named by `<SETTING>_PARAM`
 * (decrypted, cached 5 minutes so rotations reach warm functions). Plain values are never put
 * in the function's environment by serverless.yml; local runs pass them directly.
 */
export const withSecretParameters = async (
  env: Record<string, string | undefined>,
): Promise<Record<string, string | undefined>> => {
  const wanted = SECRET_SETTINGS.flatMap((name) => {
    const parameter = env[`${name}_PARAM`];
    return parameter ? [[name, parameter] as const] : [];
  });
  if (wanted.length === 0) return env;
  const values = await getParametersByName<string>(
    Object.fromEntries(wanted.map(([, parameter]) => [parameter, { decrypt: true }])),
    { maxAge: 300, throwOnError: true },
  );
  return {
    ...env,
    ...Object.fromEntries(wanted.map(([name, parameter]) => [name, values[parameter] as string | undefined])),
  };
};
