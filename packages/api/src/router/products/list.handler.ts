import type { z } from "zod";
import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import { containsText } from "../../search.ts";
import type { Context } from "../../trpc.ts";
import { type ProductRecord, productsWithSeller, toProduct, withDetails } from "./access.ts";
import { cursorPosition, type listInput, type ProductSort } from "./products.schema.ts";

type SortKey = "created_at" | "price" | "name";
const COLUMN = { created_at: "created_at", price: "price_cents", name: "name_search" } as const;

/** Where a page starts: after the row with this sort value and id. */
interface Position {
  value: Date | number | string;
  id: string;
}

const valueOf = (row: ProductRecord, key: SortKey): Date | number | string => row[COLUMN[key]];

function decodePosition(cursor: string | undefined, sort: ProductSort, key: SortKey): Position | undefined {
  // The schema names the sort: a cursor from another sort does not decode (400).
  const decoded = decodeCursor(cursor, cursorPosition(sort, key));
  if (!decoded) return undefined;
  return { value: key === "created_at" ? new Date(decoded.value as string) : decoded.value, id: decoded.id };
}

const encodePosition = (sort: ProductSort, key: SortKey) => (row: ProductRecord) => {
  const value = valueOf(row, key);
  return { sort, value: value instanceof Date ? value.toISOString() : value, id: row.id };
};

/** The catalog: active products only, every filter of the contract, one index range per sort. */
export async function listProducts({ ctx, input }: { ctx: Context; input: z.infer<typeof listInput> }) {
  const key = input.sort.replace(/^-/, "") as SortKey;
  const desc = input.sort.startsWith("-");
  const column = COLUMN[key];
  const direction = desc ? "desc" : "asc";
  let query = productsWithSeller(ctx.services.db.kysely).where("status", "=", "active");
  if (input.seller !== undefined) query = query.where("seller_id", "=", input.seller);
  const category = input.category?.toLowerCase();
  if (category !== undefined) {
    // Through the (name, product_id) index of the categories.
    query = query.where("id", "in", (eb) => eb.selectFrom("product_categories").select("product_id").where("product_categories.name", "=", category));
  }
  if (input.min_price !== undefined) query = query.where("price_cents", ">=", input.min_price);
  if (input.max_price !== undefined) query = query.where("price_cents", "<=", input.max_price);
  if (input.in_stock === true) query = query.where("stock", ">", 0);
  const { q } = input;
  if (q) query = query.where((eb) => containsText(eb, ["name_search", "description_search"], q));
  const after = decodePosition(input.cursor, input.sort, key);
  if (after) {
    const [op, bound] = desc ? (["<", "<="] as const) : ([">", ">="] as const);
    const value = after.value as never;
    // Rows strictly after the cursor in (column, id) order: keyset, never offset, so products added or archived
    // between pages cannot shift what a cursor points at. `column >= v AND (column > v OR id > id0)`: the first
    // term lets the database seek into the (status, column, id) index instead of scanning up to the cursor.
    query = query.where((eb) => eb.and([eb(column, bound, value), eb.or([eb(column, op, value), eb("id", op, after.id)])]));
  }
  // One row past the page tells whether another page follows.
  const records = await query.orderBy(column, direction).orderBy("id", direction).limit(input.limit + 1).execute();
  const rows = await withDetails(ctx.services.db.kysely, records);
  return success(toPage(rows, input.limit, toProduct, encodePosition(input.sort, key)));
}
