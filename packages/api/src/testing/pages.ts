import { expect } from "vitest";

/** One page of any cursor-paginated list, as every surface answers it (`data` of the envelope). */
export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

export interface PagesOptions<T> {
  /** When given, every page but the last must hold exactly this many items. */
  pageSize?: number;
  /** Called after each page that has a successor, before it is fetched (to write between pages). */
  between?: (page: number, soFar: T[]) => Promise<void>;
  /** A walk longer than this fails the test (default 500 pages). */
  maxPages?: number;
}

/**
 * Follows `next_cursor` from the first page to the last and returns every item in order: the one cursor
 * walker of every layer's tests (createCaller, REST over HTTP, tRPC over HTTP, the SDK). `fetchPage` gets
 * undefined for the first page.
 */
export async function pages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, options: PagesOptions<T> = {}): Promise<T[]> {
  const { pageSize, between, maxPages = 500 } = options;
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; ; page++) {
    expect(page, "the walk does not end").toBeLessThan(maxPages);
    const { items: got, next_cursor } = await fetchPage(cursor);
    items.push(...got);
    if (next_cursor === null) return items;
    if (pageSize !== undefined) expect(got, "a page before the last is not full").toHaveLength(pageSize);
    cursor = next_cursor;
    await between?.(page, items);
  }
}
