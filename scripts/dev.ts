/**
 * `npm run dev`: the local stack stays up until Ctrl-C, for an HR system's test webhook or curl.
 * Settings as in README.md (WEBHOOK_SECRETS, MEETING_*, RETENTION_DAYS, CLEANUP_*, ...).
 */
import { parseDevSettings } from '../local/dev-settings.js';
import { formatError, runMain } from './cli.js';

runMain(async () => {
  // Checked before anything is imported that reads them (the loggers read the level when built).
  const settings = parseDevSettings(process.env);
  process.env.POWERTOOLS_LOG_LEVEL = settings.logLevel ?? 'INFO';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const { DEPLOYED_WORKER_TIMEOUT_MS, startLocalStack } = await import('../local/stack.js');
  const { REDELIVERY } = await import('../lib/queue/redelivery.js');
  const { acquireState, localStateDir } = await import('../local/state.js');
  const { LOCAL_TEST_SECRET } = await import('../lib/webhook/secrets.js');
  const { logger } = await import('../functions/shared/observability.js');

  const SAMPLE_DEPARTMENTS = [
    'FIN-0101',
    'FIN-0102',
    'IT-0001',
    'MKT-0104',
    'OPS-0003',
    'RD-0102',
    'RD-0207',
    'RD-0301',
    'SAL-0203',
  ];
  const { port, cleanupIntervalSeconds: cleanupEverySeconds } = settings;
  // One persistent local state, shared with the operator commands run beside this stack.
  const state = acquireState(localStateDir(), 'npm run dev');
  const stack = await startLocalStack({
    port,
    // As deployed, so the worker's time budget is the one AWS gives it (docs/design.md "Time").
    visibilityTimeoutMs: DEPLOYED_WORKER_TIMEOUT_MS,
    workerTimeoutMs: DEPLOYED_WORKER_TIMEOUT_MS,
    // Retry delays as deployed too (10 s doubling to 5 min, 50 receives): a Meeting outage behind
    // `npm run dev` is ridden out as in AWS, not dead-lettered 100 times sooner.
    redelivery: REDELIVERY,
    log: logger,
    stateDir: state.dir,
  });
  state.publish(stack.endpoints!);
  const usingTestSecret = !process.env.WEBHOOK_SECRETS;
  const deps = (await stack.getLifecycle()).context;
  if (stack.simulator) {
    // The sample events (events/hr) name these departments; the fresh simulator only has the root.
    for (const deptCode of SAMPLE_DEPARTMENTS)
      await deps.meeting.ensureDepartment({ deptCode, deptName: deptCode });
  }

  console.log(`meeting-lifecycle dev stack is up (Ctrl-C to stop)
  webhook:    POST ${stack.webhookUrl}
  secret:     ${usingTestSecret ? `${LOCAL_TEST_SECRET}  (local test secret; set WEBHOOK_SECRETS for your own)` : 'from WEBHOOK_SECRETS'}
  Meeting:    ${stack.simulator ? `embedded simulator ${stack.simulator.url}` : (process.env.MEETING_ENDPOINT ?? process.env.MEETING_REGION)}
  state:      ${state.dir} (DynamoDB data and queues, kept between runs; shared with the commands below)
  cleanup:    every ${cleanupEverySeconds} s (RETENTION_DAYS=${deps.settings.retentionDays})

Try it (-s keeps npm's own lines out of what sh runs):
  npm run -s sign-event -- --curl ${stack.webhookUrl} | sh
  (a signed curl command for events/hr/employee.hired.json; name another body file before --curl)
Operator commands (in another terminal; they use this stack's state):
  npm run reconcile -- --roster events/roster/sample.csv [--apply]
  npm run history -- E100231
  npm run dlq -- list
  npm run offboarding -- list
`);

  const timer = setInterval(async () => {
    try {
      const report = await stack.runCleanup();
      if (report.due.applied > 0 || report.cleanup.deleted.length > 0 || report.cleanup.stageId) {
        console.log(
          `cleanup: ${report.due.applied} due applied, ${report.cleanup.deleted.length} deleted${report.cleanup.stageId ? `, staged as ${report.cleanup.stageId}` : ''}`,
        );
      }
    } catch (error) {
      console.error(`cleanup failed: ${formatError(error)}`);
    }
  }, cleanupEverySeconds * 1000);

  const stop = async () => {
    clearInterval(timer);
    await stack.stop();
    state.release();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return undefined;
});
