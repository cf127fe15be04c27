import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { root } from './package.js';

/**
 * The function bundles as `sls package` builds them (serverless-esbuild with serverless.yml's
 * `custom.esbuild`): no AWS SDK v3 in them, bundled or left to the runtime. The functions call
 * AWS through aws-lite; loading an SDK client at init would undo their cold start
 * (docs/design.md "Cold start").
 */
const cfnTags = ['!Ref', '!GetAtt', '!Sub', '!Join', '!If', '!Equals', '!Not'].map(
  (tag) =>
    new yaml.Type(tag, {
      kind: tag === '!Join' ? 'sequence' : 'scalar',
      construct: (value) => ({ [tag]: value }),
    }),
);
const config = yaml.load(readFileSync(join(root, 'serverless.yml'), 'utf8'), {
  schema: yaml.DEFAULT_SCHEMA.extend(cfnTags),
}) as {
  custom: { esbuild: BuildOptions & { exclude?: string[]; packager?: string; outputFileExtension?: string } };
  functions: Record<string, { handler: string }>;
};

/** serverless-esbuild's translation of `custom.esbuild`: `exclude` (default `aws-sdk`) becomes external. */
const bundle = async (entry: string, external?: string[]) => {
  const { exclude = ['aws-sdk'], packager: _p, outputFileExtension: _o, ...options } = config.custom.esbuild;
  const result = await build({
    ...options,
    entryPoints: [join(root, entry)],
    external: external ?? exclude,
    outfile: join(root, '.bundle-test', 'handler.mjs'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return result.metafile;
};

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** What in a bundle comes from, or is left to, the AWS SDK v3; and whatever it leaves to node_modules. */
const sdkIn = (metafile: Metafile) => {
  const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external));
  return {
    bundled: Object.keys(metafile.inputs).filter((path) => path.includes('node_modules/@aws-sdk/')),
    external: imports.filter((i) => i.path.startsWith('@aws-sdk/')).map((i) => i.path),
    notBuiltin: imports.filter((i) => !builtins.has(i.path)).map((i) => i.path),
  };
};

const handlers = Object.entries(config.functions).map(([name, fn]) => ({
  name,
  entry: `${fn.handler.slice(0, fn.handler.lastIndexOf('.'))}.ts`,
}));

describe('function bundles', { timeout: 120_000 }, () => {
  it('cover every function of serverless.yml', () => {
    expect(handlers.map((h) => h.name).sort()).toEqual(
      ['bambooHrWebhook', 'cleanup', 'feishuWebhook', 'hrWebhook', 'lifecycleWorker'].sort(),
    );
  });

  it.each(handlers)(
    '$name holds no AWS SDK v3 and leaves nothing but Node built-ins to load',
    async ({ entry }) => {
      const found = sdkIn(await bundle(entry));
      expect(found).toEqual({ bundled: [], external: [], notBuiltin: [] });
    },
  );

  it('would see an SDK client, bundled or left external (the check can fail)', async () => {
    const probe = 'test/deploy/fixtures/loads-sdk.ts';
    const bundled = sdkIn(await bundle(probe));
    expect(bundled.bundled.some((path) => path.includes('@aws-sdk/client-sqs'))).toBe(true);
    // As the runtime-provided SDK was configured before (exclude: '@aws-sdk/*').
    const external = sdkIn(await bundle(probe, ['@aws-sdk/*']));
    expect(external.external).toEqual(['@aws-sdk/client-sqs']);
    expect(external.notBuiltin).toEqual(['@aws-sdk/client-sqs']);
  });
});
