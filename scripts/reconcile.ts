/**
 * Initial load and full resync from an HR export (docs/operations.md "Initial load"):
 *   npm run reconcile -- --roster FILE [--apply] [--json] [--approve-mass-offboarding]
 *                        [--match thirdAccount,account,email,phone] [--version N] [--stage STAGE]
 * Plans by default (reads only); --apply carries the plan out through the lifecycle.
 */
import { runMain } from './cli.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE =
  'usage: npm run reconcile -- --roster FILE [--apply] [--json] [--approve-mass-offboarding] [--match KEYS] [--version N] [--stage STAGE]';

/** The unmanaged members shown in the table; --json lists them all. */
const UNMANAGED_SHOWN = 20;

runMain(async () => {
  const { readFileSync } = await import('node:fs');
  const { loadRosterSettings, matchKeysSchema } = await import('../lib/config/index.js');
  const { CommandError } = await import('./cli.js');
  const { parseRoster, RosterFormatError } = await import('../lib/events/roster.js');
  const { applyRosterPlan, changesOf, planRoster } = await import('../lib/lifecycle/roster-sync.js');
  const { createLifecycleRuntime } = await import('../functions/shared/lifecycle-runtime.js');
  const { silentLog } = await import('../lib/shared/log.js');
  const { openTarget, takeStage } = await import('./command-env.js');
  const { createProgressBar } = await import('./progress.js');

  const args = process.argv.slice(2);
  const stage = takeStage(args);
  const flag = (name: string) => {
    const i = args.indexOf(name);
    if (i >= 0) args.splice(i, 1);
    return i >= 0;
  };
  const option = (name: string) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const [, value] = args.splice(i, 2);
    if (value === undefined || value.startsWith('--'))
      throw new CommandError(`${name} needs a value; ${USAGE}`);
    return value;
  };
  const apply = flag('--apply');
  const json = flag('--json');
  const approve = flag('--approve-mass-offboarding');
  const file = option('--roster');
  const match = option('--match');
  const versionText = option('--version');
  if (!file || args.length > 0) {
    console.error(args.length > 0 ? `unknown argument ${args[0]}; ${USAGE}` : USAGE);
    return 2;
  }
  const version = versionText === undefined ? 0 : Number(versionText);
  if (!Number.isSafeInteger(version) || version < 0) {
    throw new CommandError('--version must be a non-negative integer (the HR version the export stands for)');
  }
  const matchKeys = match
    ? (() => {
        const parsed = matchKeysSchema.safeParse(match);
        if (!parsed.success) {
          throw new CommandError(
            `--match: ${parsed.error.issues[0]?.message} (keys: thirdAccount, account, email, phone)`,
          );
        }
        return parsed.data;
      })()
    : loadRosterSettings(process.env).matchKeys;

  const roster = (() => {
    try {
      return parseRoster(readFileSync(file, 'utf8'));
    } catch (error) {
      if (error instanceof RosterFormatError) throw new RosterFormatError(`${file}: ${error.message}`);
      throw error;
    }
  })();
  for (const problem of roster.problems)
    console.error(`${file}:${problem.line}: skipped: ${problem.message}`);

  const target = await openTarget('npm run reconcile', {
    ...(stage && { stage }),
    needs: { meeting: 'required' },
  });
  try {
    const lifecycle = await createLifecycleRuntime(target.env, silentLog);
    const plan = await planRoster(lifecycle.context, roster.rows, { version, matchKeys });
    const changes = changesOf(plan);
    const skipped = roster.problems.map((p) => ({ line: p.line, message: p.message }));

    if (!json) {
      console.log(
        `Roster ${file}: ${roster.rows.length} employee(s)${skipped.length > 0 ? `, ${skipped.length} row(s) skipped (above)` : ''}; ${target.where}`,
      );
      const counts = Object.entries(plan.summary)
        .map(([action, n]) => `${action} ${n.toLocaleString('en-US')}`)
        .join(' · ');
      console.log(`Plan: ${counts || 'nothing'}`);
      const shown = plan.actions.filter((a) => a.action !== 'unmanaged');
      const unmanaged = plan.actions.filter((a) => a.action === 'unmanaged');
      const rows = [...shown, ...unmanaged.slice(0, UNMANAGED_SHOWN)];
      if (rows.length > 0) {
        const width = (pick: (a: (typeof rows)[number]) => string, min: number) =>
          Math.max(min, ...rows.map((a) => pick(a).length));
        const [we, wa, wc] = [
          width((a) => a.employeeId, 8),
          width((a) => a.action, 6),
          width((a) => a.account, 7),
        ];
        console.log(`  ${'employee'.padEnd(we)}  ${'action'.padEnd(wa)}  ${'account'.padEnd(wc)}  reason`);
        for (const a of rows) {
          console.log(
            `  ${a.employeeId.padEnd(we)}  ${a.action.padEnd(wa)}  ${a.account.padEnd(wc)}  ${a.reason}`,
          );
        }
        if (unmanaged.length > UNMANAGED_SHOWN) {
          console.log(
            `  … and ${unmanaged.length - UNMANAGED_SHOWN} more unmanaged member(s) (--json lists all)`,
          );
        }
      }
    }

    if (!apply) {
      if (json)
        console.log(JSON.stringify({ summary: plan.summary, actions: plan.actions, skipped }, null, 2));
      else
        console.log(
          changes.length === 0
            ? 'Nothing to change: Meeting and the records match the roster.'
            : `Nothing applied (plan only). Apply with --apply${
                plan.summary.disable ? '; mass disables are staged unless --approve-mass-offboarding' : ''
              }.`,
        );
      return 0;
    }

    const bar = createProgressBar('apply');
    const report = await applyRosterPlan(lifecycle.context, plan, {
      ...(approve && { approveMassOffboarding: true }),
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.finish();
    if (json) {
      console.log(
        JSON.stringify({ summary: plan.summary, actions: plan.actions, skipped, applied: report }, null, 2),
      );
    } else {
      const counts = (byName: Readonly<Record<string, number>>) =>
        Object.entries(byName)
          .map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`)
          .join(' · ');
      // An employee's outcome is its first change; the changes count every one (a hire of an
      // admin is created, then adminGranted), so each planned action shows up.
      console.log(
        `Applied: ${counts(report.outcomes) || 'nothing'} (employees by outcome); changes made in Meeting: ${
          counts(report.changes) || 'none'
        }; ${report.disabled} disable(s) sent as batch calls.`,
      );
      if (report.staged.length > 0) {
        console.log(
          `${report.staged.length} disable(s) staged by the circuit breaker: review with npm run offboarding -- list, then approve or reject.`,
        );
      }
      for (const f of report.failed) console.log(`  failed  ${f.employeeId}  ${f.reason}`);
    }
    if (report.failed.length > 0) {
      console.error(
        `${report.failed.length} employee(s) not applied (listed above): fix the cause and run again`,
      );
      return 1;
    }
    return 0;
  } finally {
    await target.close();
  }
});
