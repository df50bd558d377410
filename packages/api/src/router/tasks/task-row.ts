import type { Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import type { Priority, Status, Task } from "./tasks.schema.ts";

/** A tasks row as stored. */
export type TaskRow = Selectable<Tables["tasks"]>;

/** The contract's task from its row (the *_search and rank columns stay inside). */
export const toTask = (row: TaskRow): Task => ({
  id: row.id,
  title: row.title,
  description: row.description,
  status: row.status as Status,
  priority: row.priority as Priority,
  due_date: row.due_date?.toISOString() ?? null,
  created_at: row.created_at.toISOString(),
  updated_at: row.updated_at.toISOString(),
});
