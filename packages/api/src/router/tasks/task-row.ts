import type { Tables } from "@tessera/db";
import type { Selectable } from "kysely";
import { isoTime } from "../../time.ts";
import type { Priority, Status, Task } from "./tasks.schema.ts";

/**
 * The columns a task is answered from (and listed by: priority_rank). Only these are read: every column read costs
 * a string made for every row, and the lower-cased search copies are the longest.
 */
export const TASK_COLUMNS = ["id", "title", "description", "status", "priority", "priority_rank", "due_date", "created_at", "updated_at"] as const;

/** A tasks row as read. */
export type TaskRow = Pick<Selectable<Tables["tasks"]>, (typeof TASK_COLUMNS)[number]>;

/** The contract's task from its row. */
export const toTask = (row: TaskRow): Task => ({
  id: row.id,
  title: row.title,
  description: row.description,
  status: row.status as Status,
  priority: row.priority as Priority,
  due_date: row.due_date === null ? null : isoTime(row.due_date),
  created_at: isoTime(row.created_at),
  updated_at: isoTime(row.updated_at),
});
