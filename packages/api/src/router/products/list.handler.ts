import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import { collectMatching, literalSearch } from "../../search.ts";
import type { Context } from "../../trpc.ts";
import { PRODUCT_INCLUDE, type ProductRow, toProduct } from "./access.ts";
import { cursorPosition, type listInput, type ProductSort } from "./products.schema.ts";
import type { z } from "zod";

type FindMany = NonNullable<Parameters<Context["services"]["db"]["prisma"]["product"]["findMany"]>[0]>;
type Where = NonNullable<FindMany["where"]>;

type SortKey = "created_at" | "price" | "name";
const COLUMN = { created_at: "createdAt", price: "priceCents", name: "nameSearch" } as const;

/** Where a page starts: after the row with this sort value and id. */
interface Position {
  value: Date | number | string;
  id: string;
}

const valueOf = (row: ProductRow, key: SortKey): Date | number | string => row[COLUMN[key]];

/**
 * Rows strictly after `after` in (column, id) order: keyset, never offset, so products added or archived
 * between pages cannot shift what a cursor points at. `column >= v AND (column > v OR id > id0)`: the first
 * term lets the database seek into the (status, column, id) index instead of scanning up to the cursor.
 */
function keyset(column: (typeof COLUMN)[SortKey], desc: boolean, after: Position | undefined): Where {
  if (!after) return {};
  const [op, bound] = desc ? (["lt", "lte"] as const) : (["gt", "gte"] as const);
  return { [column]: { [bound]: after.value }, OR: [{ [column]: { [op]: after.value } }, { id: { [op]: after.id } }] };
}

function decodePosition(cursor: string | undefined, sort: ProductSort, key: SortKey): Position | undefined {
  // The schema names the sort: a cursor from another sort does not decode (400).
  const decoded = decodeCursor(cursor, cursorPosition(sort, key));
  if (!decoded) return undefined;
  return { value: key === "created_at" ? new Date(decoded.value as string) : decoded.value, id: decoded.id };
}

const encodePosition = (sort: ProductSort, key: SortKey) => (row: ProductRow) => {
  const value = valueOf(row, key);
  return { sort, value: value instanceof Date ? value.toISOString() : value, id: row.id };
};

/** The catalog: active products only, every filter of the contract, one index range per sort. */
export async function listProducts({ ctx, input }: { ctx: Context; input: z.infer<typeof listInput> }) {
  const key = input.sort.replace(/^-/, "") as SortKey;
  const desc = input.sort.startsWith("-");
  const column = COLUMN[key];
  const direction = desc ? "desc" : "asc";
  const search = literalSearch(input.q, ["nameSearch", "descriptionSearch"] as const);
  const price = {
    ...(input.min_price !== undefined && { gte: input.min_price }),
    ...(input.max_price !== undefined && { lte: input.max_price }),
  };
  const filter: Where = {
    status: "active",
    ...(input.seller !== undefined && { sellerId: input.seller }),
    ...(input.category !== undefined && { categories: { some: { name: input.category.toLowerCase() } } }),
    ...(Object.keys(price).length > 0 && { priceCents: price }),
    ...(input.in_stock === "true" && { stock: { gt: 0 } }),
    ...search.where,
  };
  // One row past the page tells whether another page follows.
  const rows = await collectMatching({
    wanted: input.limit + 1,
    after: decodePosition(input.cursor, input.sort, key),
    search,
    read: (after, take) =>
      ctx.services.db.prisma.product.findMany({
        where: { AND: [filter, keyset(column, desc, after)] },
        orderBy: [{ [column]: direction }, { id: direction }],
        include: PRODUCT_INCLUDE,
        take,
      }),
    positionOf: (row) => ({ value: valueOf(row, key), id: row.id }),
  });
  return success(toPage(rows, input.limit, toProduct, encodePosition(input.sort, key)));
}
