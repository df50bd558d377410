import { z } from "zod";
import { envelopeSchema, messageEnvelopeSchema } from "../../envelope.ts";
import { cursorSchema, limitSchema, pageSchema } from "../../pagination.ts";
import { text } from "../../validation.ts";

export const STATUSES = ["todo", "in_progress", "done"] as const;
export const PRIORITIES = ["low", "medium", "high"] as const;
export const SORTS = ["created_at", "-created_at", "due_date", "-due_date", "priority", "-priority"] as const;

export type Status = (typeof STATUSES)[number];
export type Priority = (typeof PRIORITIES)[number];
export type Sort = (typeof SORTS)[number];

/** Stored in priorityRank so that sorting by priority is by rank, not by name. */
export const PRIORITY_RANK: Record<Priority, number> = { low: 0, medium: 1, high: 2 };

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 10_000;

const title = text({
  max: MAX_TITLE,
  notBlank: true,
  message: `Title must be 1–${MAX_TITLE} characters and not blank.`,
  description: `1–${MAX_TITLE} characters (code points), not only white space.`,
});

const description = text({
  max: MAX_DESCRIPTION,
  message: `Description must be at most ${MAX_DESCRIPTION} characters.`,
  description: `At most ${MAX_DESCRIPTION} characters (code points).`,
});

const status = z.enum(STATUSES, { error: `Status must be one of: ${STATUSES.join(", ")}.` });
const priority = z.enum(PRIORITIES, { error: `Priority must be one of: ${PRIORITIES.join(", ")}.` });

// Stored and answered in UTC; the instant must have a four-digit UTC year, or toISOString() would leave that format.
const dueDate = z.iso
  .datetime({ offset: true, error: "Due date must be an ISO 8601 date-time with a time zone (Z or ±hh:mm), or null." })
  .refine((value) => {
    const instant = new Date(value);
    // Unparsable text is already reported by the format check, which does not stop this one.
    return Number.isNaN(instant.getTime()) || /^\d{4}-/.test(instant.toISOString());
  }, "Due date must fall within the years 0000–9999 (UTC).")
  .nullable()
  .meta({ description: "ISO 8601 date-time with Z or an offset, e.g. 2030-01-31T17:00:00+01:00; null for none. Answered in UTC." });

/** The id travels in the path; any string is accepted here and one that is not a task id is TASK_NOT_FOUND. */
const id = z.string().meta({ description: "The task's id." });

export const createInput = z.object({
  title,
  description: description.default(""),
  status: status.default("todo"),
  priority: priority.default("medium"),
  due_date: dueDate.default(null),
});

export const idInput = z.object({ id });

/** PUT and PATCH alike: any subset of the fields; absent fields keep their value. */
export const updateInput = z.object({
  id,
  title: title.optional(),
  description: description.optional(),
  status: status.optional(),
  priority: priority.optional(),
  due_date: dueDate.optional(),
});

/** `q` longer than any task text can match nothing; the cap also keeps the LIKE pattern within SQLite's limit. */
export const MAX_QUERY = MAX_DESCRIPTION;

export const listInput = z.object({
  status: status.meta({ description: "Only tasks with this status." }).optional(),
  priority: priority.meta({ description: "Only tasks with this priority." }).optional(),
  q: text({
    max: MAX_QUERY,
    message: `q must be at most ${MAX_QUERY} characters.`,
    description: `Only tasks whose title or description contains this text, case-insensitively and literally (% and _ are not wildcards). At most ${MAX_QUERY} characters.`,
  }).optional(),
  sort: z
    .enum(SORTS, { error: `Sort must be one of: ${SORTS.join(", ")}.` })
    .default("-created_at")
    .meta({
      description:
        "Sort key, `-` for descending; ties broken by id in the same direction. priority sorts by rank (low < medium < high). " +
        "Tasks without a due_date come last in both due_date orders (ordered by id).",
    }),
  limit: limitSchema,
  cursor: cursorSchema.unwrap().meta({ description: "Opaque cursor: next_cursor of the previous page, used with the same sort." }).optional(),
});

export const taskSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  description: z.string(),
  status: z.enum(STATUSES),
  priority: z.enum(PRIORITIES),
  due_date: z.iso.datetime().nullable(),
  created_at: z.iso.datetime(),
  updated_at: z.iso.datetime(),
}).meta({ id: "Task" });

export type Task = z.infer<typeof taskSchema>;

/**
 * What tasks.onChange pushes, one per committed write to one of the caller's tasks. created and updated
 * carry the task as the REST routes answer it; deleted carries only the id, since the task is gone.
 */
export const taskEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("created"), task: taskSchema }),
  z.object({ type: z.literal("updated"), task: taskSchema }),
  z.object({ type: z.literal("deleted"), id: z.uuid() }),
]);

export type TaskEvent = z.infer<typeof taskEventSchema>;

/** A cursor names the sort it belongs to and the last row's sort value and id; due_date's null is the undated segment. */
const cursorValue = {
  created_at: z.iso.datetime(),
  due_date: z.iso.datetime().nullable(),
  priority: z.number().int().min(0).max(2),
} as const;

export const cursorPosition = <S extends Sort>(sort: S, key: keyof typeof cursorValue) =>
  z.object({ sort: z.literal(sort), value: cursorValue[key], id: z.string() });

export const listOutput = envelopeSchema(pageSchema(taskSchema));
export const taskOutput = envelopeSchema(taskSchema);
export const createdOutput = envelopeSchema(taskSchema, "Task created successfully.");
export const updatedOutput = envelopeSchema(taskSchema, "Task updated successfully.");
export const deletedOutput = messageEnvelopeSchema("Task deleted successfully.");
