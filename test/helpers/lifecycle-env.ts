import { afterAll, beforeAll } from 'vitest';
import { type LifecycleEnv, startLifecycleEnv } from '../../local/lifecycle-env.js';

// Tests use the same lifecycle wiring as the benchmark.
export { type LifecycleEnv, startLifecycleEnv };

/**
 * One lifecycle env for the tests of the enclosing describe block (or file): started before
 * them, closed after. Call the returned function inside a test to get it.
 */
export const useLifecycleEnv = (options?: Parameters<typeof startLifecycleEnv>[0]): (() => LifecycleEnv) => {
  let env: LifecycleEnv | undefined;
  beforeAll(async () => {
    env = await startLifecycleEnv(options);
  });
  afterAll(() => env?.close());
  return () => {
    if (!env) throw new Error('the lifecycle env starts in beforeAll: use it inside a test');
    return env;
  };
};
