import type { RouterInputs } from "@tessera/sdk";
import { useTRPC } from "@tessera/sdk/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

export type Entry = { key: string; value: string };

export function useEntries(input: RouterInputs["data"]["list"]) {
  const trpc = useTRPC();
  return useQuery(trpc.data.list.queryOptions(input, { placeholderData: keepPreviousData, select: (answer) => answer.data }));
}

/** Create, update and delete; each reloads every cached view of the data. */
export function useEntryMutations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: trpc.data.pathKey() });
  return {
    create: useMutation(trpc.data.create.mutationOptions({ onSuccess })),
    update: useMutation(trpc.data.update.mutationOptions({ onSuccess })),
    remove: useMutation(trpc.data.delete.mutationOptions({ onSuccess })),
  };
}
