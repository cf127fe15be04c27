/**
 * `npm run chaos`: thousands of HR events through the whole local system while Meeting
 * misbehaves and the harness duplicates, reorders and kills; exits 1 on any mismatch.
 * Settings: CHAOS_SEED, CHAOS_EVENTS (10000), CHAOS_EMPLOYEES (events/5), see chaos/config.ts.
 */
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { chaosConfigFromEnv, formatReport, runChaos } = await import('../chaos/index.js');

const config = chaosConfigFromEnv(process.env);
console.log(`chaos run: seed ${config.seed}, ${config.events} events, ${config.employees} employees`);
const result = await runChaos(config, { progress: (line) => console.log(`  ${line}`) });
for (const line of formatReport(result)) console.log(line);
process.exit(result.mismatches.length === 0 ? 0 : 1);
