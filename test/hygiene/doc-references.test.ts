import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Docs live in the repo: every document a comment, the README or a doc cites is in it, under
 * docs/, so someone who clones the repo has everything it refers to.
 */
const root = resolve(import.meta.dirname, '../..');
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  cwd: root,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.(ts|md|ya?ml|json|sh|env)$|^\.ci\/run$/.test(f) && f !== 'package-lock.json')
  .filter((f) => existsSync(join(root, f)));
const texts = files.map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }));
const docs = files.filter((f) => f.startsWith('docs/')).map((f) => f.slice('docs/'.length));

/** `file:line: excerpt` of each match, for a readable failure. */
const where = (file: string, text: string, index: number) =>
  `${file}:${text.slice(0, index).split('\n').length}: ${text.slice(index, index + 60).split('\n')[0]}`;

describe('references to documents', () => {
  it('finds the docs and the files that cite them', () => {
    for (const name of ['meeting-api', 'events', 'queue-contract', 'store', 'design'])
      expect(docs).toContain(`${name}.md`);
    expect(texts.length).toBeGreaterThan(200);
  });

  it('every cited .md path exists in the repo', () => {
    const missing = texts.flatMap(({ file, text }) =>
      [...text.matchAll(/(?<![\w/.-])((?:[\w.-]+\/)+[\w.-]+\.md)\b/g)]
        .filter((m) => !existsSync(join(root, m[1]!)))
        .map((m) => where(file, text, m.index)),
    );
    expect(missing).toEqual([]);
  });

  it('a document of docs/ is always cited with its docs/ path', () => {
    const names = docs.map((d) => d.replace(/[.]/g, '\\.')).join('|');
    const bare = texts.flatMap(({ file, text }) =>
      [...text.matchAll(new RegExp(`(?<![\\w/.-])(${names})\\b`, 'g'))].map((m) =>
        where(file, text, m.index),
      ),
    );
    expect(bare).toEqual([]);
  });

  it('every section sign names the document it points into (docs/…, or an RFC)', () => {
    const unnamed = texts
      .filter(({ file }) => file !== 'docs/meeting-api.md')
      .flatMap(({ file, text }) =>
        [...text.matchAll(/\u00a7/g)]
          .filter((m) => !/docs\/[\w-]+\.md|RFC \d+/.test(text.slice(Math.max(0, m.index - 80), m.index)))
          .map((m) => where(file, text, m.index)),
      );
    expect(unnamed).toEqual([]);
  });

  it('nothing points outside the repo (a sibling shared folder, this machine)', () => {
    // Module specifiers such as '../shared/clock.js' are imports of lib/shared, not documents.
    const outside = [`${'..'}/shared`, `/${'work'}/`];
    const found = texts.flatMap(({ file, text }) => {
      const prose = text.replace(/(['"])(?:\.\.\/)+shared\/[\w./-]+\.(?:js|ts)\1/g, '');
      return outside.flatMap((needle) =>
        [...prose.matchAll(new RegExp(needle.replace(/[./]/g, '\\$&'), 'g'))].map((m) =>
          where(file, prose, m.index),
        ),
      );
    });
    expect(found).toEqual([]);
  });
});
