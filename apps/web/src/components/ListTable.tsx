import type { ReactNode } from "react";
import { QueryError } from "./QueryError.tsx";
import { TableBox } from "./TableBox.tsx";

/** A column heading; `hidden` ones are read out but not shown (the row-actions column). */
export type Column = string | { label: string; hidden: true };

interface ListTableProps<Item> {
  /** The list's name: the table's caption and its scrolling box's label. */
  label: string;
  /** The list as its query has it: loading, failed, or its items. */
  list: { isPending: boolean; error: unknown; data?: { items: Item[] } };
  /** Another failure to show where the list is (a mutation of its rows). */
  error?: unknown;
  /** What is said while it loads, e.g. "Loading keys…". */
  loading: string;
  /** What stands in for an empty list. */
  empty: ReactNode;
  columns: Column[];
  /** The rows (each a <tr>), given the items: usually items.map(…). */
  children: (items: Item[]) => ReactNode;
  /** Rows after the body (a total). */
  footer?: ReactNode;
}

/**
 * Every list screen's ladder in one place: the failure (the API's message), "Loading…", the empty state, or the
 * table in a box that scrolls sideways on a phone (the page never does).
 */
export function ListTable<Item>({ label, list, error, loading, empty, columns, children, footer }: ListTableProps<Item>) {
  return (
    <>
      <QueryError error={list.error ?? error} />
      {list.isPending && <p role="status">{loading}</p>}
      {list.data && list.data.items.length === 0 && empty}
      {list.data && list.data.items.length > 0 && (
        <TableBox label={label}>
          <table className="list">
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                {columns.map((column) =>
                  typeof column === "string" ? (
                    <th key={column} scope="col">{column}</th>
                  ) : (
                    <th key={column.label} scope="col"><span className="visually-hidden">{column.label}</span></th>
                  ),
                )}
              </tr>
            </thead>
            <tbody>{children(list.data.items)}</tbody>
            {footer && <tfoot>{footer}</tfoot>}
          </table>
        </TableBox>
      )}
    </>
  );
}

/** The row-actions column. */
export const ACTIONS: Column = { label: "Actions", hidden: true };
