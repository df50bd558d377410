import { useState } from "react";

/**
 * Cursor paging as the API does it (opaque `next_cursor`): the cursors of the pages seen so far, so Previous
 * can go back. Changing `resetKey` (the filters and sort) starts again at the first page.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({ key: resetKey, cursors: [undefined] });
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  return {
    cursor: cursors.at(-1),
    page: cursors.length,
    next: (cursor: string) => setState({ key: resetKey, cursors: [...cursors, cursor] }),
    previous: () => setState({ key: resetKey, cursors: cursors.slice(0, -1) }),
  };
}

interface PagerProps {
  /** What is paged, for the navigation's name ("tasks" → "Pages of tasks"). */
  what: string;
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | null | undefined;
}

export function Pager({ what, pages, nextCursor }: PagerProps) {
  if (pages.page === 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={`Pages of ${what}`}>
      <button type="button" onClick={pages.previous} disabled={pages.page === 1}>Previous page</button>
      <span aria-live="polite">Page {pages.page}</span>
      <button type="button" onClick={() => nextCursor && pages.next(nextCursor)} disabled={!nextCursor}>Next page</button>
    </nav>
  );
}
