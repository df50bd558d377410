import type { RouterInputs, RouterOutputs } from "@tessera/sdk";
import { useTRPC } from "@tessera/sdk/react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

export type AdminUser = RouterOutputs["admin"]["users"]["list"]["data"]["items"][number];
export type UserChange = RouterInputs["admin"]["users"]["update"];

export function useUsers(input: RouterInputs["admin"]["users"]["list"]) {
  const trpc = useTRPC();
  return useQuery(trpc.admin.users.list.queryOptions(input, { placeholderData: keepPreviousData, select: (answer) => answer.data }));
}

/** Role changes, (de)activation and deletion; each reloads the user lists. */
export function useUserMutations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.pathKey() });
  return {
    update: useMutation(trpc.admin.users.update.mutationOptions({ onSettled })),
    remove: useMutation(trpc.admin.users.delete.mutationOptions({ onSettled })),
  };
}
