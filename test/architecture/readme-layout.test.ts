import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** README.md "Code layout" is the map a newcomer reads first: it must match the tree. */
const root = resolve(import.meta.dirname, '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Code layout'));
const block = /```\n([\s\S]*?)```/.exec(section)![1]!;

/** The paths the block lists: `a/, b/` entries; an indented line is inside the last unindented folder. */
const listed = (() => {
  const paths: string[] = [];
  let parent = '';
  for (const line of block.split('\n')) {
    const [, indent = '', column = ''] = /^(\s*)(\S.*?)(?:\s{2,}|$)/.exec(line) ?? [];
    if (!column || (indent.length > 0 && !column.includes('/'))) continue; // a wrapped description
    for (const entry of column.split(/,\s*/)) {
      const path = indent.length > 0 ? `${parent}${entry}` : entry;
      if (indent.length === 0 && entry.endsWith('/')) parent = entry;
      paths.push(path);
    }
  }
  return paths;
})();

const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);
const topFolders = [...new Set(tracked.filter((f) => f.includes('/')).map((f) => `${f.split('/')[0]}/`))];
const subfolders = (dir: string) =>
  readdirSync(join(root, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `${dir}${e.name}/`);

describe('README.md "Code layout"', () => {
  it('lists folders and files that exist', () => {
    expect(listed.length).toBeGreaterThan(15);
    const missing = listed.filter((p) => !p.includes('<') && !existsSync(join(root, p)));
    expect(missing).toEqual([]);
  });

  it('lists every top-level folder of the repo and every folder of lib/', () => {
    expect(topFolders.filter((f) => !listed.some((p) => p.startsWith(f)))).toEqual([]);
    expect(subfolders('lib/').filter((f) => !listed.includes(f))).toEqual([]);
  });

  it('functions/<name>/handler.ts: every function folder but shared/ has its handler', () => {
    expect(listed).toContain('functions/<name>/handler.ts');
    const functions = subfolders('functions/').filter((f) => f !== 'functions/shared/');
    expect(functions.length).toBeGreaterThanOrEqual(5);
    expect(functions.filter((f) => !existsSync(join(root, f, 'handler.ts')))).toEqual([]);
  });
});
