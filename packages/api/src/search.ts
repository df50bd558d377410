/**
 * Literal, case-insensitive substring search over lower-cased copies of text columns, the same on SQLite and
 * PostgreSQL, with keyset paging. Prisma's `contains` is LIKE without an ESCAPE clause: `%` and `_` in q are
 * wildcards, and `\` is PostgreSQL's default escape character. So LIKE only narrows the rows, given the pieces
 * of q between backslashes (a row containing q contains each of them), and `matches` decides literally.
 */

/** How searchable columns are stored and how q is compared with them. */
export const searchText = (text: string) => text.toLowerCase();

type Narrowing<Field extends string> = Partial<Record<Field, { contains: string }>>;

export function literalSearch<Field extends string>(q: string | undefined, fields: readonly Field[]) {
  const needle = q ? searchText(q) : undefined;
  const pieces = needle?.split("\\").filter((piece) => piece !== "") ?? [];
  const containsAll = (field: Field) => ({ AND: pieces.map((piece) => ({ [field]: { contains: piece } }) as Narrowing<Field>) });
  return {
    /** A where-clause that keeps every row containing q (and maybe a few more). */
    where: pieces.length > 0 ? { OR: fields.map(containsAll) } : {},
    matches: <Row extends Record<Field, string>>(row: Row) => needle === undefined || fields.some((field) => row[field].includes(needle)),
    /** True when LIKE alone decides, so every row read matches. */
    exact: needle === undefined || !/[%_\\]/.test(needle),
  };
}

// Rows a wildcard q lets through that do not really contain it are skipped; read more per round then.
const WILDCARD_BATCH = 200;

/** Reads keyset-ordered rows after `after` until `wanted` of them match, or the rows run out. */
export async function collectMatching<Row, Position>(options: {
  wanted: number;
  after: Position | undefined;
  search: { matches(row: NoInfer<Row>): boolean; exact: boolean };
  read(after: Position | undefined, take: number): Promise<Row[]>;
  positionOf(row: Row): Position;
}): Promise<Row[]> {
  const { wanted, search, read, positionOf } = options;
  const found: Row[] = [];
  let after = options.after;
  for (;;) {
    const take = search.exact ? wanted - found.length : Math.max(wanted - found.length, WILDCARD_BATCH);
    const rows = await read(after, take);
    found.push(...rows.filter((row) => search.matches(row)));
    const last = rows.at(-1);
    if (rows.length < take || found.length >= wanted || last === undefined) return found.slice(0, wanted);
    after = positionOf(last);
  }
}
