/**
 * Rows of a second query (a product's categories, an order's items), grouped by the row they belong to, each
 * group in the rows' order: what Prisma's `include` did, for a page of parent rows read in one query per relation.
 */
export function groupBy<Row, Value>(rows: readonly Row[], keyOf: (row: Row) => string, valueOf: (row: Row) => Value): Map<string, Value[]> {
  const groups = new Map<string, Value[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(valueOf(row));
    else groups.set(key, [valueOf(row)]);
  }
  return groups;
}
