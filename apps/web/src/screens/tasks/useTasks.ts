import type { RouterInputs, Task, TaskEvent } from "@tessera/sdk";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { tessera } from "../../app/tessera.ts";

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

export type LiveState = "connecting" | "live" | "offline";

const describe = (event: TaskEvent) => (event.type === "deleted" ? "A task was deleted." : `Task “${event.task.title}” was ${event.type}.`);

/**
 * Follows `tasks.onChange`: every change to the user's tasks, from this tab or any other, reloads the lists in
 * view, so a page and its filters, sort and paging stay exactly as the server would answer them. The lists
 * also reload whenever the stream (re)starts, so nothing written while it was down is missed.
 */
export function useLiveTasks(): { state: LiveState; lastChange: string | null } {
  const queryClient = useQueryClient();
  const [state, setState] = useState<LiveState>("connecting");
  const [lastChange, setLastChange] = useState<string | null>(null);
  useEffect(() => {
    const reload = () => void queryClient.invalidateQueries({ queryKey: TASKS });
    const subscription = tessera.tasks.onChange.subscribe(undefined, {
      onStarted: () => {
        setState("live");
        reload();
      },
      onData: (event) => {
        setLastChange(describe(event));
        reload();
      },
      onConnectionStateChange: (connection) => {
        if (connection.state === "connecting") setState(connection.error ? "offline" : "connecting");
      },
      onError: () => setState("offline"),
    });
    return () => subscription.unsubscribe();
  }, [queryClient]);
  return { state, lastChange };
}
