export interface Page<T> {
  readonly offset: number;
  readonly limit: number;
  readonly count: number;
  readonly data: readonly T[];
}

/**
 * Walks a paged search: offset += limit while offset < count (docs/meeting-api.md §2.5). Never
 * "until empty": an offset past the total returns the last page again. Re-reads `count` on
 * every page so a shrinking total still ends the walk, stops on an empty page, and drops
 * items already yielded (a page shifted by concurrent deletes repeats some).
 */
export async function* paginate<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  limit: number,
  keyOf: (item: T) => string,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset, limit);
    for (const item of page.data) {
      const key = keyOf(item);
      if (seen.has(key)) continue;
      seen.add(key);
      yield item;
    }
    offset += limit;
    if (offset >= page.count || page.data.length === 0) return;
  }
}
