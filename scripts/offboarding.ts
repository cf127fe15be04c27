/**
 * Operator command for the mass-offboarding circuit breaker (docs/operations.md):
 *   npm run offboarding -- list
 *   npm run offboarding -- approve <stageId>
 *   npm run offboarding -- reject <stageId>
 * plus --stage STAGE for a deployed stack (else the local state `npm run dev` shares). `list`
 * and `reject` need only the table; `approve` applies the staged actions, so it needs Meeting.
 */
import { runMain } from './cli.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runMain(async () => {
  const { commandLine, openTarget, storesOf } = await import('./command-env.js');
  const { stage, rest: args } = commandLine([]);
  const [command, stageId] = args;
  const usage = 'usage: npm run offboarding -- list | approve <stageId> | reject <stageId> [--stage STAGE]';
  if (
    !command ||
    !['list', 'approve', 'reject'].includes(command) ||
    (command !== 'list' && !stageId) ||
    args.length > (command === 'list' ? 1 : 2)
  ) {
    console.error(usage);
    return 2;
  }

  const { describeStage, rejectStage } = await import('../lib/lifecycle/stages.js');
  const { silentLog } = await import('../lib/shared/log.js');
  const { systemClock } = await import('../lib/shared/clock.js');
  const target = await openTarget(`npm run offboarding ${command}`, {
    ...(stage && { stage }),
    needs: command === 'approve' ? { meeting: 'required' } : {},
  });
  const stores = storesOf(target.env);
  try {
    if (command === 'list') {
      const view = await describeStage(stores);
      if (!view) {
        console.log('The circuit breaker is closed: nothing is staged.');
      } else {
        console.log(
          `Open stage ${view.breaker.stageId} since ${new Date(view.breaker.openedAt).toISOString()}`,
        );
        console.log(`Reason: ${view.breaker.reason}`);
        for (const action of view.actions) {
          console.log(
            `  ${action.kind.padEnd(8)} ${action.employeeId}  staged ${new Date(action.stagedAt).toISOString()}`,
          );
        }
        console.log(`${view.actions.length} staged action(s). Approve or reject with the stage id above.`);
      }
    } else if (command === 'approve') {
      const { createLifecycleRuntime } = await import('../functions/shared/lifecycle-runtime.js');
      const lifecycle = await createLifecycleRuntime(target.env, silentLog);
      const result = await lifecycle.approveStage(stageId!);
      console.log(
        `Approved ${stageId}: ${result.disables.length} disable(s) applied, ${result.deleted.length} member(s) deleted.`,
      );
    } else {
      const result = await rejectStage(
        { offboarding: stores.offboarding, store: stores.store, clock: systemClock, log: silentLog },
        stageId!,
      );
      console.log(`Rejected ${stageId}: ${result.dropped} staged action(s) dropped.`);
    }
    return 0;
  } finally {
    stores.close();
    await target.close();
  }
});
