import type { Cart } from "@tessera/sdk";
import { useTRPC, useTRPCClient } from "@tessera/sdk/react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useReloadCatalog } from "../shop/useShop.ts";
import type { CheckoutAttempt } from "./attempts.ts";

export type CartLine = Cart["items"][number];

export function useCart() {
  const trpc = useTRPC();
  return useQuery(trpc.cart.get.queryOptions(undefined, { select: (answer) => answer.data }));
}

/** Every cart call answers with the whole cart, which replaces the one cached. */
function useKeepCart() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (answer: { data: Cart }) => queryClient.setQueryData(trpc.cart.get.queryKey(), (cached) => cached && { ...cached, data: answer.data });
}

export function useAddToCart() {
  const trpc = useTRPC();
  return useMutation(trpc.cart.add.mutationOptions({ onSuccess: useKeepCart() }));
}

export function useCartMutations() {
  const trpc = useTRPC();
  const onSuccess = useKeepCart();
  return {
    set: useMutation(trpc.cart.set.mutationOptions({ onSuccess })),
    remove: useMutation(trpc.cart.remove.mutationOptions({ onSuccess })),
  };
}

/**
 * `checkout.place` with the attempt's Idempotency-Key (the SDK sends it alone, in the header). Whatever the answer,
 * the cart, the orders and the catalog's stock may have changed, so all three are reloaded.
 */
export function useCheckout() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const reloadCatalog = useReloadCatalog();
  // Not mutationOptions(): the key is per attempt, and a call's context is given with the call.
  return useMutation({
    mutationKey: trpc.checkout.place.mutationKey(),
    mutationFn: ({ payment_method, key }: CheckoutAttempt) =>
      client.checkout.place.mutate({ payment_method }, { context: { idempotencyKey: key } }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.cart.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.orders.pathKey() }),
        reloadCatalog(),
      ]),
  });
}
