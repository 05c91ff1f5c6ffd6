import { describe, expect, it } from 'vitest';
import { fetchPages, type Page } from './pages.ts';

/** Three pages of a list, served the way the API pages: a cursor to the next page, null at the end. */
const pages: Record<string, Page<number>> = {
  start: { items: [1, 2], nextCursor: 'c2' },
  c2: { items: [3, 4], nextCursor: 'c3' },
  c3: { items: [5], nextCursor: null },
};
const fetchPage = async (cursor: string | undefined) => pages[cursor ?? 'start'] as Page<number>;

describe('fetchPages', () => {
  it('returns one page and the cursor to the next', async () => {
    expect(await fetchPages(fetchPage, {})).toEqual({ items: [1, 2], nextCursor: 'c2' });
    expect(await fetchPages(fetchPage, { cursor: 'c2' })).toEqual({ items: [3, 4], nextCursor: 'c3' });
  });

  it('follows the cursors to the last page with --all', async () => {
    expect(await fetchPages(fetchPage, { all: true })).toEqual({ items: [1, 2, 3, 4, 5], nextCursor: null });
    expect(await fetchPages(fetchPage, { all: true, cursor: 'c2' })).toEqual({
      items: [3, 4, 5],
      nextCursor: null,
    });
  });
});
