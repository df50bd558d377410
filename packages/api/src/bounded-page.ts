import { encodeCursor } from "./pagination.ts";

/**
 * Most bytes of JSON one page of a marketplace list answers with (its items; the envelope adds a few dozen): a
 * page of 100 products with 10,000-character descriptions would otherwise be over a megabyte, and a tRPC batch
 * twenty of them. A page that reaches it stops early, with a next_cursor that goes on from its last item: keyset
 * paging still visits every item once, in order (docs/contract.md), it only takes more pages.
 */
export const PAGE_MAX_BYTES = 256 * 1024;

export interface Page<Item> {
  items: Item[];
  next_cursor: string | null;
}

/**
 * A page from `rows` (the query's `limit + 1` rows: one past the page tells that more follow), cut short when its
 * items' JSON would pass PAGE_MAX_BYTES (never below one item). `resume` is where the next page starts when the
 * rows stop before the list does for a reason of the caller's (a bounded search scan): it gives a next_cursor even
 * when no row is past the page.
 */
export function boundedPage<Row, Item>(
  rows: readonly Row[],
  limit: number,
  item: (row: Row) => Item,
  position: (row: Row) => object,
  resume?: object,
): Page<Item> {
  const items: Item[] = [];
  let bytes = 0;
  for (const row of rows.slice(0, limit)) {
    const next = item(row);
    bytes += Buffer.byteLength(JSON.stringify(next));
    if (items.length > 0 && bytes > PAGE_MAX_BYTES) return { items, next_cursor: encodeCursor(position(rows[items.length - 1]!)) };
    items.push(next);
  }
  if (rows.length > limit) return { items, next_cursor: encodeCursor(position(rows[limit - 1]!)) };
  return { items, next_cursor: resume ? encodeCursor(resume) : null };
}
