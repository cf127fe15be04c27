/**
 * Operator command for the mass-offboarding circuit breaker:
 *   npm run offboarding -- list
 *   npm run offboarding -- approve <stageId>
 *   npm run offboarding -- reject <stageId>
 * Uses the same settings as the functions (TABLE_NAME, MEETING_*, and AWS credentials, or
 * DYNAMODB_ENDPOINT for the local stack of `npm run dev`).
 */
import { runMain } from './cli.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runMain(async () => {
  const [command, stageId] = process.argv.slice(2);
  const usage = 'usage: npm run offboarding -- list | approve <stageId> | reject <stageId>';
  if (!command || !['list', 'approve', 'reject'].includes(command) || (command !== 'list' && !stageId)) {
    console.error(usage);
    return 2;
  }

  const { createLifecycleRuntime } = await import('../functions/shared/lifecycle-runtime.js');
  const { silentLog } = await import('../lib/shared/log.js');
  const lifecycle = await createLifecycleRuntime(process.env, silentLog);
  if (command === 'list') {
    const stage = await lifecycle.describeStage();
    if (!stage) {
      console.log('The circuit breaker is closed: nothing is staged.');
    } else {
      console.log(
        `Open stage ${stage.breaker.stageId} since ${new Date(stage.breaker.openedAt).toISOString()}`,
      );
      console.log(`Reason: ${stage.breaker.reason}`);
      for (const action of stage.actions) {
        console.log(
          `  ${action.kind.padEnd(8)} ${action.employeeId}  staged ${new Date(action.stagedAt).toISOString()}`,
        );
      }
      console.log(`${stage.actions.length} staged action(s). Approve or reject with the stage id above.`);
    }
  } else if (command === 'approve') {
    const result = await lifecycle.approveStage(stageId!);
    console.log(
      `Approved ${stageId}: ${result.disables.length} disable(s) applied, ${result.deleted.length} member(s) deleted.`,
    );
  } else {
    const result = await lifecycle.rejectStage(stageId!);
    console.log(`Rejected ${stageId}: ${result.dropped} staged action(s) dropped.`);
  }
  return 0;
});
