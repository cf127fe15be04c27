import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    env: {
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      // An AWS client that finds no credentials must never go looking for the EC2 metadata
      // service (169.254.169.254) from a test: local endpoints carry placeholder credentials.
      AWS_EC2_METADATA_DISABLED: 'true',
    },
  },
});
