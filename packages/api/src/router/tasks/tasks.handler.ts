import { randomUUID } from "node:crypto";
import { AppError, done, success } from "../../envelope.ts";
import { isUuid } from "../../ids.ts";
import { searchText } from "../../search.ts";
import { type AuthedCall, type AuthedContext, streamCaller } from "../../trpc.ts";
import { TASK_COLUMNS, toTask } from "./task-row.ts";
import { type createInput, type idInput, PRIORITY_RANK, type TaskEvent, type updateInput } from "./tasks.schema.ts";

const taskNotFound = () => new AppError("TASK_NOT_FOUND", "Task not found.");

/** Another user's task, an unknown id and a malformed one all look the same: no existence leak. */
function ownTaskId(id: string): string {
  if (!isUuid(id)) throw taskNotFound();
  return id;
}

const toDate = (value: string | null) => (value === null ? null : new Date(value));

// Each write publishes its event once it has committed, and before answering: a client that holds the
// reply and an open tasks.onChange subscription has the event on its way too.
export async function createTask({ ctx, input }: AuthedCall<typeof createInput>) {
  const now = new Date();
  const row = {
    id: randomUUID(),
    owner_id: ctx.auth.user.id,
    title: input.title,
    description: input.description,
    status: input.status,
    priority: input.priority,
    priority_rank: PRIORITY_RANK[input.priority],
    due_date: toDate(input.due_date),
    title_search: searchText(input.title),
    description_search: searchText(input.description),
    created_at: now,
    updated_at: now,
  };
  // Within the user's task quota (409 QUOTA_EXCEEDED past it; services/quotas.ts).
  await ctx.services.quotas.create("tasks", ctx.auth.user.id, () => ctx.services.db.kysely.insertInto("tasks").values(row).execute());
  const task = toTask(row);
  await ctx.services.taskEvents.publish(ctx.auth.user.id, { type: "created", task });
  return success(task, "Task created successfully.");
}

export async function getTask({ ctx, input }: AuthedCall<typeof idInput>) {
  const row = await ctx.services.db.kysely
    .selectFrom("tasks")
    .select(TASK_COLUMNS)
    .where("id", "=", ownTaskId(input.id))
    .where("owner_id", "=", ctx.auth.user.id)
    .executeTakeFirst();
  if (!row) throw taskNotFound();
  return success(toTask(row));
}

/** PUT and PATCH: only the fields sent change, each with the columns derived from it. */
export async function updateTask({ ctx, input }: AuthedCall<typeof updateInput>) {
  const id = ownTaskId(input.id);
  const changes = {
    ...(input.title !== undefined && { title: input.title, title_search: searchText(input.title) }),
    ...(input.description !== undefined && { description: input.description, description_search: searchText(input.description) }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.priority !== undefined && { priority: input.priority, priority_rank: PRIORITY_RANK[input.priority] }),
    ...(input.due_date !== undefined && { due_date: toDate(input.due_date) }),
  };
  if (Object.keys(changes).length === 0) {
    // Nothing to change: answer with the task as it is, updated_at untouched, and tell no subscriber.
    return getTask({ ctx, input: { id } }).then((reply) => success(reply.data, "Task updated successfully."));
  }
  // One statement scoped to the owner: no window between a check and the write.
  const row = await ctx.services.db.kysely
    .updateTable("tasks")
    .set({ ...changes, updated_at: new Date() })
    .where("id", "=", id)
    .where("owner_id", "=", ctx.auth.user.id)
    .returning(TASK_COLUMNS)
    .executeTakeFirst();
  if (!row) throw taskNotFound();
  const task = toTask(row);
  await ctx.services.taskEvents.publish(ctx.auth.user.id, { type: "updated", task });
  return success(task, "Task updated successfully.");
}

export async function deleteTask({ ctx, input }: AuthedCall<typeof idInput>) {
  const id = ownTaskId(input.id);
  const result = await ctx.services.db.kysely.deleteFrom("tasks").where("id", "=", id).where("owner_id", "=", ctx.auth.user.id).executeTakeFirst();
  if (result.numDeletedRows !== 1n) throw taskNotFound();
  await ctx.services.taskEvents.publish(ctx.auth.user.id, { type: "deleted", id });
  return done("Task deleted successfully.");
}

/**
 * tasks.onChange: the caller's own task events from now on, until the client goes away (tRPC aborts
 * `signal` when the connection closes, which releases the subscription) or the stream may no longer live (its
 * session ended, it fell behind: services/live-streams.ts). No replay: a client that (re)connects should refetch
 * what it shows, then apply events.
 */
export async function* taskChanges({ ctx, signal }: { ctx: AuthedContext; signal: AbortSignal | undefined }): AsyncGenerator<TaskEvent, void> {
  const userId = ctx.auth.user.id;
  yield* ctx.services.liveStreams.serve(streamCaller(ctx), signal, (live, options) => ctx.services.taskEvents.subscribe(userId, live, options));
}
