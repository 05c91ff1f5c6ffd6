/** Cursor paging as the list routes do it: one page, or every page with --all. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export async function fetchPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
  options: { cursor?: string; all?: boolean },
): Promise<Page<T>> {
  const items: T[] = [];
  let cursor = options.cursor;
  for (;;) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!options.all || page.nextCursor === null)
      return { items, nextCursor: options.all ? null : page.nextCursor };
    cursor = page.nextCursor;
  }
}
