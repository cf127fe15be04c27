/**
 * Dead-letter tools (docs/operations.md "Dead letters"):
 *   npm run dlq -- list [--json]
 *   npm run dlq -- show MESSAGE_ID [--json]
 *   npm run dlq -- replay MESSAGE_ID… | replay --all
 * plus --stage STAGE for a deployed stack. Locally the DLQ is the local FIFO queue of the state
 * `npm run dev` shares (its SQS-compatible endpoint); in AWS it is SQS. Same code for both.
 */
import { runMain } from './cli.js';

process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE =
  'usage: npm run dlq -- list [--json] | show MESSAGE_ID [--json] | replay MESSAGE_ID… | replay --all';

runMain(async () => {
  const { parseStrictJson } = await import('../lib/events/strict-json.js');
  const { createSqsDeadLetterQueue } = await import('../lib/queue/sqs-dead-letters.js');
  const { CommandError } = await import('./cli.js');
  const { commandLine, openTarget, storesOf } = await import('./command-env.js');

  const { stage, flags, rest } = commandLine(['json', 'all']);
  const [command, ...ids] = rest;
  const { json, all } = flags;
  const valid =
    (command === 'list' && ids.length === 0 && !all) ||
    (command === 'show' && ids.length === 1 && !all) ||
    (command === 'replay' && (all ? ids.length === 0 : ids.length > 0) && !json);
  if (!valid) {
    console.error(USAGE);
    return 2;
  }

  const target = await openTarget('npm run dlq', { ...(stage && { stage }), needs: { queues: true } });
  try {
    const dlq = createSqsDeadLetterQueue({
      client: target.sqs!,
      deadLetterQueueUrl: target.env.DEAD_LETTER_QUEUE_URL!,
      queueUrl: target.env.QUEUE_URL!,
    });

    /** What the body says, if it can be read (a dead letter may be malformed: that is often why it is here). */
    const summary = (body: string) => {
      const parsed = parseStrictJson(body);
      const v = (
        parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? parsed.value : {}
      ) as Record<string, unknown>;
      const data = (typeof v.data === 'object' && v.data !== null ? v.data : v) as Record<string, unknown>;
      const text = (x: unknown) => (typeof x === 'string' || typeof x === 'number' ? String(x) : undefined);
      return {
        eventId: text(v.id),
        type: text(v.type),
        employeeId: text(data.employeeId),
        version: text(data.version),
        effectiveAt: text(data.effectiveAt),
      };
    };

    /** A dead letter that came by SQS's redrive has no reason: the worker audited each failed attempt. */
    const stores = storesOf(target.env);
    const lastFailure = async (employeeId: string, eventId: string | undefined) => {
      if (!eventId) return undefined;
      try {
        const entries = await stores.store.listAudit(employeeId);
        return entries.filter((e) => e.eventId === eventId && e.outcome === 'failed').at(-1)?.reason;
      } catch {
        return undefined; // the reason is a help, not a condition
      }
    };

    if (command === 'replay') {
      const result = await dlq.replay(all ? 'all' : ids);
      for (const letter of result.replayed) {
        const s = summary(letter.body);
        console.log(`replayed ${letter.messageId}  ${letter.groupId}  ${s.type ?? '?'} ${s.eventId ?? ''}`);
      }
      // Nothing matched: the error below is the whole answer, not a "0 sent back" beside it.
      if (result.replayed.length > 0 || result.notFound.length === 0)
        console.log(
          `${result.replayed.length} message(s) sent back to the lifecycle queue and removed from the DLQ; the version guard skips what was already applied.${
            target.where.includes('not running')
              ? ' npm run dev is not running: they are processed when it starts.'
              : ''
          }`,
        );
      if (result.notFound.length > 0) {
        throw new CommandError(
          `not in the DLQ (or hidden behind 10 messages of the same employee): ${result.notFound.join(', ')}: list them with npm run dlq -- list`,
        );
      }
      return 0;
    }

    const listing = await dlq.list();
    const letters = await Promise.all(
      listing.messages.map(async (letter) => {
        const s = summary(letter.body);
        const reason =
          letter.attributes.reason ??
          (await lastFailure(letter.groupId, s.eventId ?? letter.attributes.eventId)) ??
          'unknown (no reason recorded)';
        return { ...letter, event: s, reason };
      }),
    );

    if (command === 'show') {
      const letter = letters.find((l) => l.messageId === ids[0]);
      if (!letter) {
        throw new CommandError(
          `no message ${ids[0]} in the DLQ (${listing.approximateTotal} there): list them with npm run dlq -- list`,
        );
      }
      if (json) console.log(JSON.stringify(letter, null, 2));
      else {
        console.log(`message   ${letter.messageId}`);
        console.log(`employee  ${letter.groupId}`);
        console.log(
          `event     ${letter.event.type ?? '?'} ${letter.event.eventId ?? '?'} v${letter.event.version ?? '?'}`,
        );
        console.log(`reason    ${letter.reason}`);
        console.log(`receives  ${letter.receiveCount}`);
        console.log(`sent      ${new Date(letter.sentAt).toISOString()}`);
        for (const [name, value] of Object.entries(letter.attributes)) {
          if (name !== 'reason') console.log(`  ${name} = ${value}`);
        }
        const parsed = parseStrictJson(letter.body);
        console.log(parsed.ok ? JSON.stringify(parsed.value, null, 2) : letter.body);
      }
      return 0;
    }

    if (json) {
      console.log(JSON.stringify({ approximateTotal: listing.approximateTotal, messages: letters }, null, 2));
      return 0;
    }
    console.log(`Dead-letter queue — ${target.where}`);
    if (letters.length === 0) {
      console.log('Empty.');
      return 0;
    }
    for (const l of letters) {
      console.log(
        `  ${l.messageId}  ${l.groupId}  ${l.event.type ?? '?'} ${l.event.eventId ?? ''} v${l.event.version ?? '?'}  receives ${l.receiveCount}  sent ${new Date(l.sentAt).toISOString()}`,
      );
      console.log(`      reason: ${l.reason}`);
    }
    const hidden = listing.approximateTotal - letters.length;
    console.log(
      `${letters.length} message(s)${hidden > 0 ? ` (about ${hidden} more behind them: replay or handle these first)` : ''}. Replay with npm run dlq -- replay MESSAGE_ID… or --all once the cause is fixed.`,
    );
    return 0;
  } finally {
    await target.close();
  }
});
