import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The contract corpus (test/contract/corpus/*.json, described in test/contract/README.md):
 * Huawei's documented examples verbatim, and examples we wrote from the official SDK models'
 * field lists. Tests feed them to our parsers and serve them from a stub server as they are.
 */
export interface CorpusEntry {
  readonly name: string;
  readonly origin: 'verbatim' | 'derived';
  readonly source: string;
  readonly api: string;
  readonly dialect?: 'legacy';
  readonly kind: 'request' | 'response' | 'error';
  readonly method?: string;
  readonly path?: string;
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** The JSON body; absent = an empty body. */
  readonly body?: unknown;
  /** A body that is not JSON. */
  readonly rawBody?: string;
  readonly note?: string;
}

const dir = join(import.meta.dirname, 'corpus');

export const corpus: readonly CorpusEntry[] = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    ...JSON.parse(readFileSync(join(dir, file), 'utf8')),
  }));

export const entry = (name: string): CorpusEntry => {
  const found = corpus.find((e) => e.name === name);
  if (!found) throw new Error(`no corpus entry ${name}`);
  return found;
};

/** A deep copy of an entry's body, to mutate in a test without touching the corpus. */
export const bodyOf = <T = unknown>(name: string): T => structuredClone(entry(name).body) as T;

/** The answer's X-Request-Id header, as the server sent it. */
export const requestIdOf = (e: CorpusEntry): string | undefined =>
  Object.entries(e.headers ?? {}).find(([k]) => k.toLowerCase() === 'x-request-id')?.[1];
