/**
 * `npm start`: the whole system on this machine, and a scripted HR day through it.
 * Meeting target: the embedded simulator, or a real tenant when MEETING_ENDPOINT/MEETING_REGION
 * and credentials are set (see README). Output: what happened, the final Meeting state, counters.
 */
import { runMain } from './cli.js';

process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runMain(async () => {
  const { runDemoDay } = await import('../local/demo-day.js');
  const failures = await runDemoDay({
    env: { RETENTION_DAYS: '0', OFFBOARD_BREAKER_MAX_COUNT: '8', ...process.env },
    print: console.log,
  });
  return failures === 0 ? 0 : 1;
});
