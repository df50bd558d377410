import { protectedProcedure, router } from "../../trpc.ts";
import { listTasks } from "./list.handler.ts";
import { createTask, deleteTask, getTask, taskChanges, updateTask } from "./tasks.handler.ts";
import {
  createdOutput, createInput, deletedOutput, idInput, listInput, listOutput, taskOutput, updatedOutput, updateInput,
} from "./tasks.schema.ts";

const tags = ["tasks"];

const update = (method: "PUT" | "PATCH", summary: string) =>
  protectedProcedure
    .meta({ openapi: { method, path: "/tasks/{id}", tags, summary }, errors: ["INVALID_REQUEST", "TASK_NOT_FOUND"] })
    .input(updateInput)
    .output(updatedOutput)
    .mutation(updateTask);

export const tasksRouter = router({
  list: protectedProcedure
    .meta({
      openapi: {
        method: "GET",
        path: "/tasks",
        tags,
        summary: "List your tasks, filtered and sorted, one page at a time",
        description:
          "Keyset pagination: pass next_cursor as cursor for the next page, with the same sort and filters " +
          "(a cursor of another sort is 400). Every task appears once even while tasks are added or deleted between pages.",
      },
      errors: ["INVALID_REQUEST"],
    })
    .input(listInput)
    .output(listOutput)
    .query(listTasks),

  create: protectedProcedure
    .meta({
      openapi: { method: "POST", path: "/tasks", tags, summary: "Create a task" },
      successStatus: 201,
      errors: ["INVALID_REQUEST", "QUOTA_EXCEEDED"],
    })
    .input(createInput)
    .output(createdOutput)
    .mutation(createTask),

  get: protectedProcedure
    .meta({ openapi: { method: "GET", path: "/tasks/{id}", tags, summary: "One of your tasks" }, errors: ["TASK_NOT_FOUND"] })
    .input(idInput)
    .output(taskOutput)
    .query(getTask),

  update: update("PUT", "Update a task: any subset of its fields"),
  patch: update("PATCH", "Update a task: any subset of its fields (same as PUT)"),

  delete: protectedProcedure
    .meta({ openapi: { method: "DELETE", path: "/tasks/{id}", tags, summary: "Delete a task" }, errors: ["TASK_NOT_FOUND"] })
    .input(idInput)
    .output(deletedOutput)
    .mutation(deleteTask),

  // Live updates over tRPC's SSE transport (httpSubscriptionLink); no `openapi` meta: not part of REST.
  onChange: protectedProcedure.subscription(taskChanges),
});
