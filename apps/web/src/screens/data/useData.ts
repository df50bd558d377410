import type { RouterInputs } from "@tessera/sdk";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";

export type Entry = { key: string; value: string };
const DATA = ["data"] as const;

export function useEntries(input: RouterInputs["data"]["list"]) {
  return useQuery({
    queryKey: [...DATA, "list", input],
    queryFn: async () => (await tessera.data.list.query(input)).data,
    placeholderData: keepPreviousData,
  });
}

export function useEntryMutations() {
  const queryClient = useQueryClient();
  const onSuccess = () => queryClient.invalidateQueries({ queryKey: DATA });
  return {
    create: useMutation({ mutationFn: (entry: Entry) => tessera.data.create.mutate(entry), onSuccess }),
    update: useMutation({ mutationFn: (entry: Entry) => tessera.data.update.mutate(entry), onSuccess }),
    remove: useMutation({ mutationFn: (key: string) => tessera.data.delete.mutate({ key }), onSuccess }),
  };
}
