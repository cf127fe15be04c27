/**
 * `npm start`: the whole system on this machine, and a scripted HR day through it.
 * Meeting target: the embedded simulator, or a real tenant when MEETING_ENDPOINT/MEETING_REGION
 * and credentials are set (see README). Output: what happened, the final Meeting state, counters.
 */
import { parseLogLevel } from '../local/dev-settings.js';
import { runMain } from './cli.js';

runMain(async () => {
  // Checked before anything is imported that reads it (the loggers read the level when built).
  process.env.POWERTOOLS_LOG_LEVEL = parseLogLevel(process.env) ?? 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { runDemoDay } = await import('../local/demo-day.js');
  const failures = await runDemoDay({
    env: { RETENTION_DAYS: '0', OFFBOARD_BREAKER_MAX_COUNT: '8', ...process.env },
    print: console.log,
  });
  return failures === 0 ? 0 : 1;
});
