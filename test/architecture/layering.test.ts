import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The folder layout is the architecture: these checks keep imports pointing one way
 * (handlers → lifecycle → meeting/store/events → shared) and keep dev-only code out of lib/.
 */
const root = resolve(import.meta.dirname, '../..');

const sourceFiles = (dir: string): string[] =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });

interface Import {
  readonly from: string;
  /** Repo-relative path of a relative import, or the package specifier. */
  readonly to: string;
  readonly relative: boolean;
}

const importsOf = (file: string): Import[] => {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1]!);
  return specs.map((spec) =>
    spec.startsWith('.')
      ? { from: file, to: relative(root, resolve(root, dirname(file), spec)), relative: true }
      : { from: file, to: spec, relative: false },
  );
};

const libImports = sourceFiles('lib').flatMap(importsOf);

/** Source text without comments (a comment may mention process.env). */
const codeOf = (file: string) =>
  readFileSync(join(root, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
/** lib/<folder>/... → <folder> */
const folderOf = (path: string) => path.split(sep)[1]!;

describe('layering', () => {
  it('lib/ imports nothing outside lib/ of this repo (simulator, local, functions, tests stay out of what ships)', () => {
    const outside = libImports.filter((i) => i.relative && !i.to.startsWith(`lib${sep}`));
    expect(outside.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('lib/meeting never imports lib/auth (auth implements the token port meeting owns)', () => {
    const up = libImports.filter(
      (i) => i.relative && folderOf(i.from) === 'meeting' && i.to.startsWith(join('lib', 'auth')),
    );
    expect(up.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('has no import cycles between lib/ folders', () => {
    const edges = new Map<string, Set<string>>();
    for (const i of libImports) {
      if (!i.relative || !i.to.startsWith(`lib${sep}`)) continue;
      const [a, b] = [folderOf(i.from), folderOf(i.to)];
      if (a !== b) edges.set(a, (edges.get(a) ?? new Set()).add(b));
    }
    const cycles: string[] = [];
    const visit = (node: string, path: string[]) => {
      if (path.includes(node)) {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' → '));
        return;
      }
      for (const next of edges.get(node) ?? []) visit(next, [...path, node]);
    };
    for (const node of edges.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });

  it('lib/ is free of AWS Lambda types, and only one adapter file loads the official Huawei SDK core', () => {
    const offending = libImports.filter(
      (i) =>
        !i.relative &&
        (i.to === 'aws-lambda' ||
          (i.to.startsWith('@huaweicloud/') && !i.from.endsWith(join('auth', 'sdk-core-credential.ts')))),
    );
    expect(offending.map((i) => `${i.from} → ${i.to}`)).toEqual([]);
  });

  it('reads the environment in one place: no process.env in lib/ or functions/ but functions/shared/environment.ts', () => {
    const allowed = join('functions', 'shared', 'environment.ts');
    const readers = [...sourceFiles('lib'), ...sourceFiles('functions')].filter(
      (file) => file !== allowed && /\bprocess\s*\.\s*env\b|\bprocess\s*\[\s*['"]env/.test(codeOf(file)),
    );
    expect(readers).toEqual([]);
    expect(codeOf(allowed)).toMatch(/process\.env/);
  });
});
