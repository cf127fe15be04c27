/**
 * One employee's history (docs/operations.md "One employee's history"):
 *   npm run history -- EMPLOYEE_ID [--json] [--stage STAGE]
 * Every event received for the employee, what was done with it and the Meeting calls it made,
 * then our record beside the member as Meeting has it now. Needs the table; Meeting only for
 * the member's current state (without it, that part says so).
 */
import { runMain } from './cli.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runMain(async () => {
  const { employeeIdSchema } = await import('../lib/events/schemas.js');
  const { employeeHistory } = await import('../lib/lifecycle/history.js');
  const { ACCOUNT_TYPE } = await import('../lib/meeting/schemas.js');
  const { silentLog } = await import('../lib/shared/log.js');
  const { CommandError } = await import('./cli.js');
  const { commandLine, openTarget, storesOf } = await import('./command-env.js');

  const { stage, flags, rest } = commandLine(['json']);
  if (rest.length !== 1 || rest[0]!.startsWith('--')) {
    console.error('usage: npm run history -- EMPLOYEE_ID [--json] [--stage STAGE]');
    return 2;
  }
  const employeeId = rest[0]!;
  if (!employeeIdSchema.safeParse(employeeId).success) {
    throw new CommandError(
      `${JSON.stringify(employeeId)} is not an employee id (letters, digits, _ . @ -, at most 64)`,
    );
  }

  const target = await openTarget('npm run history', {
    ...(stage && { stage }),
    needs: { meeting: 'optional' },
  });
  const stores = storesOf(target.env);
  try {
    const meeting = target.meeting
      ? (
          await (
            await import('../functions/shared/lifecycle-runtime.js')
          ).createLifecycleRuntime(target.env, silentLog)
        ).context
      : undefined;
    const history = await employeeHistory(
      {
        store: stores.store,
        offboarding: stores.offboarding,
        ...(meeting && { meeting: meeting.meeting }),
        accountType:
          meeting?.accountType ??
          (target.env.MEETING_APP_ID ? ACCOUNT_TYPE.thirdAccount : ACCOUNT_TYPE.meetingAccount),
      },
      employeeId,
    );
    if (flags.json) {
      console.log(JSON.stringify(history, null, 2));
      return 0;
    }

    const time = (ms: number | undefined) => (ms === undefined ? '-' : new Date(ms).toISOString());
    console.log(`Employee ${employeeId} — ${target.where}`);
    const { record } = history;
    if (!record && history.events.length === 0) {
      console.log('No record and no events for this employee.');
      return 0;
    }
    console.log('');
    if (record) {
      const profile = record.hr.profile?.value;
      const addressed =
        record.accountType === ACCOUNT_TYPE.meetingAccount
          ? 'by Meeting account'
          : record.accountType === ACCOUNT_TYPE.thirdAccount
            ? 'by HR id'
            : 'default addressing';
      console.log(
        `Our record:  ${record.status}, admin ${record.isAdmin ? 'yes' : 'no'}, account ${record.account} (${addressed})${
          record.linked ? `, adopted by ${record.linked.by} on ${time(record.linked.at)}` : ''
        }`,
      );
      console.log(
        `             HR says: ${record.hr.employment?.value ?? 'active (no status stated yet)'}${
          record.hr.admin ? `, admin ${record.hr.admin.value}` : ''
        }; profile v${record.hr.profile?.version ?? '-'} (written: v${record.profileApplied ?? '-'})${
          profile
            ? `: ${profile.name}, dept ${profile.deptCode}${profile.title ? `, ${profile.title}` : ''}`
            : ''
        }`,
      );
      if (record.disabledAt) console.log(`             disabled since ${time(record.disabledAt)}`);
      if (record.deletedAt) console.log(`             deleted on ${time(record.deletedAt)}`);
    } else console.log('Our record:  none');
    const m = history.meeting;
    if (m.state === 'found') {
      console.log(
        `Meeting now: ${m.status}, admin ${m.admin}, account ${m.account}${
          m.differences.length > 0
            ? `; differs from our last write in: ${m.differences.join(', ')}`
            : '; in step with our record'
        }`,
      );
    } else if (m.state === 'absent') console.log(`Meeting now: no member ${m.account}`);
    else console.log(`Meeting now: not read (${m.reason})`);
    if (history.pendingDisable)
      console.log('Pending:     a disable waits in the buffer (sent within seconds by the worker)');
    if (history.staged) {
      console.log(
        `Staged:      ${history.staged.kind} held by the circuit breaker in ${history.staged.stageId} (npm run offboarding -- list)`,
      );
    }

    console.log('');
    console.log(`Events (${history.events.length}, oldest first):`);
    for (const e of history.events) {
      const what = [e.type ?? 'unreadable event', e.version === undefined ? '' : `v${e.version}`]
        .filter(Boolean)
        .join(' ');
      const when = [
        e.effectiveAt && `effective ${e.effectiveAt}`,
        e.receivedAt !== undefined && `received ${time(e.receivedAt)}`,
        e.receiveCount !== undefined && `delivery ${e.receiveCount}`,
        e.source && `via ${e.source}`,
      ]
        .filter(Boolean)
        .join(', ');
      console.log(`  ${time(e.at)}  ${e.eventId}  ${what}${when ? `  (${when})` : ''}`);
      const changes = e.changes && e.changes.length > 0 ? ` [${e.changes.join(', ')}]` : '';
      console.log(`      → ${e.outcome}${changes}${e.reason ? `: ${e.reason}` : ''}`);
      if (e.calls && e.calls.length > 0) console.log(`        Meeting calls: ${e.calls.join('; ')}`);
    }
    return 0;
  } finally {
    stores.close();
    await target.close();
  }
});
