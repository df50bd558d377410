import { sql } from "kysely";
import type { z } from "zod";
import { boundedPage } from "../../bounded-page.ts";
import { success } from "../../envelope.ts";
import { decodeCursor } from "../../pagination.ts";
import { containsText } from "../../search.ts";
import type { Context } from "../../trpc.ts";
import { type ProductRecord, toProduct, withDetails } from "./access.ts";
import { cursorPosition, type listInput, type ProductSort } from "./products.schema.ts";

type SortKey = "created_at" | "price" | "name";
const COLUMN = { created_at: "created_at", price: "price_cents", name: "name_search" } as const;
type SortColumn = (typeof COLUMN)[SortKey];
type Input = z.infer<typeof listInput>;

/** Where a page starts: after the row with this sort value and id. */
interface Position {
  value: Date | number | string;
  id: string;
}

function decodePosition(cursor: string | undefined, sort: ProductSort, key: SortKey): Position | undefined {
  // The schema names the sort: a cursor from another sort does not decode (400).
  const decoded = decodeCursor(cursor, cursorPosition(sort, key));
  if (!decoded) return undefined;
  return { value: key === "created_at" ? new Date(decoded.value as string) : decoded.value, id: decoded.id };
}

const encodePosition = (sort: ProductSort, { value, id }: Position) => ({ sort, value: value instanceof Date ? value.toISOString() : value, id });

/** The active products that pass every filter but `q`, after the cursor, in the listing's order. */
function catalog(ctx: Context, input: Input, column: SortColumn, desc: boolean, after: Position | undefined) {
  const direction = desc ? "desc" : "asc";
  let query = ctx.services.db.kysely.selectFrom("products").where("status", "=", "active");
  if (input.seller !== undefined) query = query.where("seller_id", "=", input.seller);
  const category = input.category?.toLowerCase();
  if (category !== undefined) {
    // Through the (name, product_id) index of the categories.
    query = query.where("id", "in", (eb) => eb.selectFrom("product_categories").select("product_id").where("product_categories.name", "=", category));
  }
  if (input.min_price !== undefined) query = query.where("price_cents", ">=", input.min_price);
  if (input.max_price !== undefined) query = query.where("price_cents", "<=", input.max_price);
  if (input.in_stock === true) query = query.where("stock", ">", 0);
  if (after) {
    const [op, bound] = desc ? (["<", "<="] as const) : ([">", ">="] as const);
    const value = after.value as never;
    // Rows strictly after the cursor in (column, id) order: keyset, never offset, so products added or archived
    // between pages cannot shift what a cursor points at. `column >= v AND (column > v OR id > id0)`: the first
    // term lets the database seek into the (status, column, id) index instead of scanning up to the cursor.
    query = query.where((eb) => eb.and([eb(column, bound, value), eb.or([eb(column, op, value), eb("id", op, after.id)])]));
  }
  return query.orderBy(column, direction).orderBy("id", direction);
}

type Catalog = ReturnType<typeof catalog>;

/** The seller's store name of a products row (a subquery, not a join: the products' columns stay unambiguous). */
const storeName = (sellerId: "products.seller_id" | "w.seller_id") =>
  sql<string | null>`(select users.store_name from users where users.id = ${sql.ref(sellerId)})`.as("store_name");

/**
 * How far a search may look on this page. LIKE '%q%' cannot use an index and costs about (text length × q length)
 * per row, more for text an attacker shaped (LIKE backtracks), so a search tests at most `searchScanRows`
 * products after the cursor and at most `searchScanBytes` bytes of their text, in the listing's order. Reading the
 * rows' positions and text lengths is an index walk that loads no text (octet_length, the same on both databases).
 * `rows`: how many products the page tests; `resume`: where the next page starts when products remain past them.
 */
async function scanWindow(ctx: Context, query: Catalog, column: SortColumn): Promise<{ rows: number; resume?: Position }> {
  const { searchScanRows, searchScanBytes } = ctx.services.market;
  const window = await query
    .select([column, "id", sql<number>`octet_length(name_search) + octet_length(description_search)`.as("bytes")])
    .limit(searchScanRows + 1)
    .execute();
  let rows = 0;
  for (let bytes = 0; rows < Math.min(window.length, searchScanRows); rows++) {
    bytes += Number(window[rows]!.bytes);
    if (rows > 0 && bytes > searchScanBytes) break;
  }
  if (rows === window.length) return { rows };
  const last = window[rows - 1]!;
  return { rows, resume: { value: last[column] as Position["value"], id: last.id } };
}

/** The catalog: active products only, every filter of the contract, one index range per sort; searches bounded. */
export async function listProducts({ ctx, input }: { ctx: Context; input: Input }) {
  const key = input.sort.replace(/^-/, "") as SortKey;
  const desc = input.sort.startsWith("-");
  const column = COLUMN[key];
  const direction = desc ? "desc" : "asc";
  const query = catalog(ctx, input, column, desc, decodePosition(input.cursor, input.sort, key));
  const { q } = input;
  // One row past the page tells whether another page follows.
  const wanted = input.limit + 1;
  let records: ProductRecord[];
  let resume: Position | undefined;
  if (!q) {
    records = await query.selectAll("products").select(storeName("products.seller_id")).limit(wanted).execute();
  } else {
    const scan = await scanWindow(ctx, query, column);
    resume = scan.resume;
    // The window as a derived table with its LIMIT: the database tests q on those rows and no others.
    const window = query.selectAll("products").limit(scan.rows).as("w");
    records = await ctx.services.db.kysely
      .selectFrom(window)
      .selectAll("w")
      .select(storeName("w.seller_id"))
      .where((eb) => containsText(eb, ["w.name_search", "w.description_search"], q))
      .orderBy(`w.${column}`, direction)
      .orderBy("w.id", direction)
      .limit(wanted)
      .execute();
  }
  const rows = await withDetails(ctx.services.db.kysely, records);
  const position = (row: ProductRecord): Position => ({ value: row[column], id: row.id });
  return success(
    boundedPage(rows, input.limit, toProduct, (row) => encodePosition(input.sort, position(row)), resume && encodePosition(input.sort, resume)),
  );
}
