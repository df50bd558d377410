import type { RouterInputs, RouterOutputs } from "@tessera/sdk";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";

export type AdminUser = RouterOutputs["admin"]["users"]["list"]["data"]["items"][number];
export type UserChange = RouterInputs["admin"]["users"]["update"];
const USERS = ["admin", "users"] as const;

export function useUsers(input: RouterInputs["admin"]["users"]["list"]) {
  return useQuery({
    queryKey: [...USERS, "list", input],
    queryFn: async () => (await tessera.admin.users.list.query(input)).data,
    placeholderData: keepPreviousData,
  });
}

export function useUserMutations() {
  const queryClient = useQueryClient();
  const onSettled = () => queryClient.invalidateQueries({ queryKey: USERS });
  return {
    update: useMutation({ mutationFn: async (change: UserChange) => (await tessera.admin.users.update.mutate(change)).data, onSettled }),
    remove: useMutation({ mutationFn: (user: AdminUser) => tessera.admin.users.delete.mutate({ user_id: user.user_id }), onSettled }),
  };
}
