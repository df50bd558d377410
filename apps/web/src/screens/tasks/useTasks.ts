import type { RouterInputs, Task, TaskEvent } from "@tessera/sdk";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";
import { type LiveHandlers, useLiveReload } from "../../components/live.tsx";

export type TaskListInput = RouterInputs["tasks"]["list"];
export type TaskCreateInput = RouterInputs["tasks"]["create"];
export type TaskUpdateInput = RouterInputs["tasks"]["update"];

const TASKS = ["tasks"] as const;

export function useTaskList(input: TaskListInput) {
  return useQuery({
    queryKey: [...TASKS, "list", input],
    queryFn: async () => (await tessera.tasks.list.query(input)).data,
    placeholderData: keepPreviousData,
  });
}

/** Create, update and delete; each reloads the lists when done (the live subscription would too, a moment later). */
export function useTaskMutations() {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: TASKS });
  return {
    create: useMutation({ mutationFn: async (input: TaskCreateInput) => (await tessera.tasks.create.mutate(input)).data, onSuccess }),
    update: useMutation({ mutationFn: async (input: TaskUpdateInput) => (await tessera.tasks.patch.mutate(input)).data, onSuccess }),
    remove: useMutation({ mutationFn: async (task: Task) => tessera.tasks.delete.mutate({ id: task.id }), onSuccess }),
  };
}

const describe = (event: TaskEvent) => (event.type === "deleted" ? "A task was deleted." : `Task “${event.task.title}” was ${event.type}.`);
const subscribe = (handlers: LiveHandlers<TaskEvent>) => tessera.tasks.onChange.subscribe(undefined, handlers);
const LIVE_KEYS = [TASKS];

/** Follows `tasks.onChange`: every change to the user's tasks, from this tab or any other, reloads the lists in view. */
export const useLiveTasks = () => useLiveReload(subscribe, LIVE_KEYS, describe);
