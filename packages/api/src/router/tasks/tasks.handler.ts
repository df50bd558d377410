import { randomUUID } from "node:crypto";
import { isRecordNotFound } from "@tessera/db";
import { AppError, done, success } from "../../envelope.ts";
import { searchText } from "../../search.ts";
import type { AuthedCall as Call, AuthedContext as Authed, Context } from "../../trpc.ts";
import {
  type createInput, type idInput, PRIORITY_RANK, type Priority, type Status, type Task, type TaskEvent, type updateInput,
} from "./tasks.schema.ts";

export type TaskRow = NonNullable<Awaited<ReturnType<Context["services"]["db"]["prisma"]["task"]["findFirst"]>>>;

// Ids are what randomUUID() makes; anything else cannot be a task and is answered like a missing one.
const TASK_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const taskNotFound = () => new AppError("TASK_NOT_FOUND", "Task not found.");

/** Another user's task, an unknown id and a malformed one all look the same: no existence leak. */
function ownTask(ctx: Authed, id: string) {
  if (!TASK_ID.test(id)) throw taskNotFound();
  return { id, ownerId: ctx.auth.user.id };
}

const rethrowNotFound = (error: unknown): never => {
  throw isRecordNotFound(error) ? taskNotFound() : error;
};

export const toTask = (row: TaskRow): Task => ({
  id: row.id,
  title: row.title,
  description: row.description,
  status: row.status as Status,
  priority: row.priority as Priority,
  due_date: row.dueDate?.toISOString() ?? null,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

const toDate = (value: string | null) => (value === null ? null : new Date(value));

// Each write publishes its event once it has committed, and before answering: a client that holds the
// reply and an open tasks.onChange subscription has the event on its way too.
export async function createTask({ ctx, input }: Call<typeof createInput>) {
  const now = new Date();
  const row = await ctx.services.db.prisma.task.create({
    data: {
      id: randomUUID(),
      ownerId: ctx.auth.user.id,
      title: input.title,
      description: input.description,
      status: input.status,
      priority: input.priority,
      priorityRank: PRIORITY_RANK[input.priority],
      dueDate: toDate(input.due_date),
      titleSearch: searchText(input.title),
      descriptionSearch: searchText(input.description),
      createdAt: now,
      updatedAt: now,
    },
  });
  const task = toTask(row);
  await ctx.services.taskEvents.publish(ctx.auth.user.id, { type: "created", task });
  return success(task, "Task created successfully.");
}

export async function getTask({ ctx, input }: Call<typeof idInput>) {
  const row = await ctx.services.db.prisma.task.findFirst({ where: ownTask(ctx, input.id) });
  if (!row) throw taskNotFound();
  return success(toTask(row));
}

/** PUT and PATCH: only the fields sent change, each with the columns derived from it. */
export async function updateTask({ ctx, input }: Call<typeof updateInput>) {
  const where = ownTask(ctx, input.id);
  const changes = {
    ...(input.title !== undefined && { title: input.title, titleSearch: searchText(input.title) }),
    ...(input.description !== undefined && { description: input.description, descriptionSearch: searchText(input.description) }),
    ...(input.status !== undefined && { status: input.status }),
    ...(input.priority !== undefined && { priority: input.priority, priorityRank: PRIORITY_RANK[input.priority] }),
    ...(input.due_date !== undefined && { dueDate: toDate(input.due_date) }),
  };
  if (Object.keys(changes).length === 0) {
    // Nothing to change: answer with the task as it is, updated_at untouched, and tell no subscriber.
    return getTask({ ctx, input: { id: input.id } }).then((reply) => success(reply.data, "Task updated successfully."));
  }
  // One statement scoped to the owner: no window between a check and the write.
  const row = await ctx.services.db.prisma.task.update({ where, data: { ...changes, updatedAt: new Date() } }).catch(rethrowNotFound);
  const task = toTask(row);
  await ctx.services.taskEvents.publish(ctx.auth.user.id, { type: "updated", task });
  return success(task, "Task updated successfully.");
}

export async function deleteTask({ ctx, input }: Call<typeof idInput>) {
  const { id } = await ctx.services.db.prisma.task.delete({ where: ownTask(ctx, input.id), select: { id: true } }).catch(rethrowNotFound);
  await ctx.services.taskEvents.publish(ctx.auth.user.id, { type: "deleted", id });
  return done("Task deleted successfully.");
}

/**
 * tasks.onChange: the caller's own task events from now on, until the client goes away (tRPC aborts
 * `signal` when the connection closes, which releases the subscription). No replay: a client that
 * (re)connects should refetch what it shows, then apply events.
 */
export async function* taskChanges({ ctx, signal }: { ctx: Authed; signal: AbortSignal | undefined }): AsyncGenerator<TaskEvent, void> {
  yield* ctx.services.taskEvents.subscribe(ctx.auth.user.id, signal);
}
