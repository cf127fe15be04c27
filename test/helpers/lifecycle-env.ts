// Tests use the same lifecycle wiring as the benchmark.
export { type LifecycleEnv, startLifecycleEnv } from '../../local/lifecycle-env.js';
