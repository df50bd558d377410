import type { RouterInputs, TaskEvent } from "@tessera/sdk";
import { useSubscription, useTRPC } from "@tessera/sdk/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { liveStateOf, useLastChange } from "../../components/live.tsx";

export type TaskListInput = RouterInputs["tasks"]["list"];
export type TaskCreateInput = RouterInputs["tasks"]["create"];
export type TaskUpdateInput = RouterInputs["tasks"]["update"];

export function useTaskList(input: TaskListInput) {
  const trpc = useTRPC();
  return useQuery(trpc.tasks.list.queryOptions(input, { placeholderData: keepPreviousData, select: (answer) => answer.data }));
}

/** Reloads every cached view of the tasks (each list, whatever its filters). */
function useReloadTasks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
}

/** Create, update and delete; each reloads the lists when done (the live subscription would too, a moment later). */
export function useTaskMutations() {
  const trpc = useTRPC();
  const onSuccess = useReloadTasks();
  return {
    create: useMutation(trpc.tasks.create.mutationOptions({ onSuccess })),
    update: useMutation(trpc.tasks.patch.mutationOptions({ onSuccess })),
    remove: useMutation(trpc.tasks.delete.mutationOptions({ onSuccess })),
  };
}

const describe = (event: TaskEvent) => (event.type === "deleted" ? "A task was deleted." : `Task “${event.task.title}” was ${event.type}.`);

/**
 * Follows `tasks.onChange`: every change to the user's tasks, from this tab or any other, reloads the lists in view.
 * They also reload whenever the stream (re)starts, so nothing changed while it was down is missed.
 */
export function useLiveTasks() {
  const trpc = useTRPC();
  const reload = useReloadTasks();
  const [lastChange, setLastChange] = useLastChange();
  const subscription = useSubscription(trpc.tasks.onChange.subscriptionOptions(undefined, {
    onStarted: () => void reload(),
    onData: (event) => {
      setLastChange(describe(event));
      void reload();
    },
  }));
  return { state: liveStateOf(subscription), lastChange };
}
