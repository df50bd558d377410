import type { Tables } from "@tessera/db";
import type { SelectQueryBuilder, Selectable } from "kysely";
import { success } from "../../envelope.ts";
import { decodeCursor, toPage } from "../../pagination.ts";
import { containsText } from "../../search.ts";
import type { AuthedCall } from "../../trpc.ts";
import { TASK_COLUMNS, type TaskRow, toTask } from "./task-row.ts";
import { cursorPosition, type listInput, type Sort } from "./tasks.schema.ts";


type TaskQuery = SelectQueryBuilder<Tables, "tasks", TaskRow>;

type SortKey = "created_at" | "due_date" | "priority";
const COLUMN = { created_at: "created_at", due_date: "due_date", priority: "priority_rank" } as const;
type SortColumn = (typeof COLUMN)[SortKey];

/** Where a page starts: after the row with this sort value and id. For due_date, null is the undated segment. */
interface Position {
  value: Date | number | null;
  id: string;
}

const valueOf = (row: TaskRow, key: SortKey): Date | number | null => row[COLUMN[key]];

/** One ordered query over one index range: what it adds to the filtered query. */
type Segment = (query: TaskQuery) => TaskQuery;

/**
 * Rows strictly after `after` in (column, id) order. Keyset, never offset, so inserts and deletes between pages
 * cannot shift what a cursor points at.
 */
const keysetSegment = (column: SortColumn, desc: boolean, after?: Position): Segment => (query) => {
  const direction = desc ? "desc" : "asc";
  const [op, bound] = desc ? (["<", "<="] as const) : ([">", ">="] as const);
  const ordered = query.orderBy(column, direction).orderBy("id", direction);
  if (!after) return ordered;
  const value = after.value as never;
  // (column, id) > (v, id0) written as `column >= v AND (column > v OR id > id0)`: the first term lets the
  // database seek into the index instead of scanning the owner's rows up to the cursor.
  return ordered.where((eb) => eb.and([eb(column, bound, value), eb.or([eb(column, op, value), eb("id", op, after.id)])]));
};

/**
 * The segments to read, in order, from `after` on. due_date is two segments (dated tasks by due date,
 * then undated ones by id) rather than NULLS LAST, so each is a range scan of the (owner, due_date, id) index.
 */
function segmentsFrom(key: SortKey, desc: boolean, after?: Position): Segment[] {
  if (key !== "due_date") return [keysetSegment(COLUMN[key], desc, after)];
  const direction = desc ? "desc" : "asc";
  const undated: Segment = (query) => {
    const ordered = query.where("due_date", "is", null).orderBy("id", direction);
    return after?.value === null ? ordered.where("id", desc ? "<" : ">", after.id) : ordered;
  };
  if (after?.value === null) return [undated];
  const dated = keysetSegment("due_date", desc, after);
  return [(query) => dated(query.where("due_date", "is not", null)), undated];
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

export async function listTasks({ ctx, input }: AuthedCall<typeof listInput>) {
  const key = input.sort.replace(/^-/, "") as SortKey;
  const desc = input.sort.startsWith("-");
  // Ownership is part of every query.
  let filtered: TaskQuery = ctx.services.db.kysely.selectFrom("tasks").select(TASK_COLUMNS).where("owner_id", "=", ctx.auth.user.id);
  if (input.status) filtered = filtered.where("status", "=", input.status);
  if (input.priority) filtered = filtered.where("priority", "=", input.priority);
  const { q } = input;
  if (q) filtered = filtered.where((eb) => containsText(eb, ["title_search", "description_search"], q));
  // One row past the page tells whether another page follows.
  const wanted = input.limit + 1;
  const rows: TaskRow[] = [];
  for (const segment of segmentsFrom(key, desc, decodePosition(input.cursor, input.sort, key))) {
    if (rows.length >= wanted) break;
    rows.push(...(await segment(filtered).limit(wanted - rows.length).execute()));
  }
  return success(toPage(rows, input.limit, toTask, encodePosition(input.sort, key)));
}
