import { type Expression, type ExpressionBuilder, type SqlBool, sql } from "kysely";

/**
 * Literal, case-insensitive substring search, the same on SQLite and PostgreSQL: searchable text is stored in
 * lower-cased copies (`*_search` columns, written with searchText), and q, lower-cased the same way, is matched
 * with LIKE and an ESCAPE clause, so `%`, `_` and `\` in q are plain characters and the database decides every
 * row (no wildcard rows filtered afterwards in JavaScript).
 */

/** How searchable columns are stored and how q is compared with them. */
export const searchText = (text: string) => text.toLowerCase();

/** A LIKE pattern matching rows that contain `q` literally (after searchText). */
export const containsPattern = (q: string) => `%${searchText(q).replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * Rows where any of `columns` contains `q`, literally and case-insensitively. `ESCAPE '\'` is written out: it is
 * PostgreSQL's default but not SQLite's, and spelling it makes both read the pattern alike.
 */
export function containsText<DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  columns: readonly Parameters<ExpressionBuilder<DB, TB>["ref"]>[0][],
  q: string,
): Expression<SqlBool> {
  const pattern = containsPattern(q);
  return eb.or(columns.map((column) => sql<SqlBool>`${eb.ref(column)} like ${pattern} escape '\\'`));
}
