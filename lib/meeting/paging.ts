/** A paged answer as parsed: every field may be missing (docs/meeting-api.md §0). */
export interface Page<T> {
  readonly offset?: number;
  readonly limit?: number;
  readonly count?: number;
  readonly data?: readonly T[];
}

/**
 * Walks a paged search trusting the server's answer, not our request (docs/meeting-api.md §2.5):
 *
 * - the next offset is this page's offset plus the items it actually returned, so a server that
 *   caps the page size below what we asked for (100 for a request of 500, echoed or not in its
 *   `limit`) is walked without gaps;
 * - it stops on an empty page, or when the next offset reaches `count` (re-read on every page, so
 *   a shrinking total still ends the walk). Never "until empty" alone: an offset past the total
 *   returns the last page again;
 * - a page that brings nothing new also ends it (no `count`, or a server that ignores `offset`);
 * - items already yielded are dropped (a page shifted by concurrent deletes repeats some).
 */
export async function* paginate<T>(
  fetchPage: (offset: number, limit: number) => Promise<Page<T>>,
  limit: number,
  keyOf: (item: T) => string | undefined,
): AsyncGenerator<T> {
  const seen = new Set<string>();
  let offset = 0;
  for (;;) {
    const page = await fetchPage(offset, limit);
    const data = page.data ?? [];
    let fresh = 0;
    for (const item of data) {
      const key = keyOf(item);
      if (key !== undefined) {
        if (seen.has(key)) continue;
        seen.add(key);
      }
      fresh++;
      yield item;
    }
    offset += data.length;
    if (data.length === 0 || fresh === 0) return;
    if (page.count !== undefined && offset >= page.count) return;
  }
}

/** Every item of a paged search, in order (listAllMembers, listAllAdmins). */
export const collect = async <T>(items: AsyncIterable<T>): Promise<T[]> => {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
};
