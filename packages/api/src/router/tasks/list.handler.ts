import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import type { Context } from "../../trpc.ts";
import type { AuthedCall as Call, AuthedContext as Authed } from "../../trpc.ts";
import { collectMatching, literalSearch } from "../../search.ts";
import { type TaskRow, toTask } from "./tasks.handler.ts";
import { cursorPosition, type listInput, type Sort } from "./tasks.schema.ts";

type FindMany = NonNullable<Parameters<Context["services"]["db"]["prisma"]["task"]["findMany"]>[0]>;
type Where = NonNullable<FindMany["where"]>;
type OrderBy = FindMany["orderBy"];

type SortKey = "created_at" | "due_date" | "priority";
const COLUMN = { created_at: "createdAt", due_date: "dueDate", priority: "priorityRank" } as const;

/** Where a page starts: after the row with this sort value and id. For due_date, null is the undated segment. */
interface Position {
  value: Date | number | null;
  id: string;
}

const valueOf = (row: TaskRow, key: SortKey): Date | number | null => row[COLUMN[key]];

/** One ordered query over one index range. */
interface Segment {
  where: Where;
  orderBy: OrderBy;
}

/**
 * Rows of `extra` strictly after `after` in (column, id) order. Keyset, never offset, so inserts and
 * deletes between pages cannot shift what a cursor points at.
 */
function keysetSegment(column: "createdAt" | "dueDate" | "priorityRank", desc: boolean, extra: Where, after?: Position): Segment {
  const [op, bound] = desc ? (["lt", "lte"] as const) : (["gt", "gte"] as const);
  const direction = desc ? "desc" : "asc";
  // (column, id) > (v, id0) written as `column >= v AND (column > v OR id > id0)`: the first term lets
  // SQLite seek into the index instead of scanning the owner's rows up to the cursor.
  const keyset: Where | undefined = after && {
    [column]: { [bound]: after.value },
    OR: [{ [column]: { [op]: after.value } }, { id: { [op]: after.id } }],
  };
  return { where: { AND: [extra, ...(keyset ? [keyset] : [])] }, orderBy: [{ [column]: direction }, { id: direction }] };
}

/**
 * The segments to read, in order, from `after` on. due_date is two segments (dated tasks by due date,
 * then undated ones by id) rather than NULLS LAST, so each is a range scan of the (owner, due_date, id) index.
 */
function segmentsFrom(key: SortKey, desc: boolean, after?: Position): Segment[] {
  if (key !== "due_date") return [keysetSegment(COLUMN[key], desc, {}, after)];
  const direction = desc ? "desc" : "asc";
  const undated: Segment = {
    where: { dueDate: null, ...(after?.value === null && { id: { [desc ? "lt" : "gt"]: after.id } }) },
    orderBy: { id: direction },
  };
  if (after?.value === null) return [undated];
  return [keysetSegment("dueDate", desc, { dueDate: { not: null } }, after), undated];
}

/** Up to `take` rows after `after`, across segments. */
async function scan(ctx: Authed, filter: Where, key: SortKey, desc: boolean, after: Position | undefined, take: number) {
  const rows: TaskRow[] = [];
  for (const segment of segmentsFrom(key, desc, after)) {
    if (rows.length >= take) break;
    rows.push(
      ...(await ctx.services.db.prisma.task.findMany({ where: { AND: [filter, segment.where] }, orderBy: segment.orderBy, take: take - rows.length })),
    );
  }
  return rows;
}

function decodePosition(cursor: string | undefined, sort: Sort, key: SortKey): Position | undefined {
  // The schema names the sort: a cursor from another sort does not decode (400).
  const decoded = decodeCursor(cursor, cursorPosition(sort, key));
  if (!decoded) return undefined;
  const { value, id } = decoded;
  return { value: typeof value === "string" ? new Date(value) : value, id };
}

const encodePosition = (sort: Sort, key: SortKey) => (row: TaskRow) => {
  const value = valueOf(row, key);
  return { sort, value: value instanceof Date ? value.toISOString() : value, id: row.id };
};

export async function listTasks({ ctx, input }: Call<typeof listInput>) {
  const key = input.sort.replace(/^-/, "") as SortKey;
  const desc = input.sort.startsWith("-");
  const search = literalSearch(input.q, ["titleSearch", "descriptionSearch"] as const);
  // Ownership is part of every query.
  const filter: Where = {
    ownerId: ctx.auth.user.id,
    ...(input.status && { status: input.status }),
    ...(input.priority && { priority: input.priority }),
    ...search.where,
  };
  // One row past the page tells whether another page follows.
  const rows = await collectMatching({
    wanted: input.limit + 1,
    after: decodePosition(input.cursor, input.sort, key),
    search,
    read: (after, take) => scan(ctx, filter, key, desc, after, take),
    positionOf: (row) => ({ value: valueOf(row, key), id: row.id }),
  });
  return success(toPage(rows, input.limit, toTask, encodePosition(input.sort, key)));
}
