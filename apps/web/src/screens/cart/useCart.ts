import type { Cart, RouterInputs } from "@tessera/sdk";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { tessera } from "../../app/tessera.ts";
import { ORDERS } from "../orders/useOrders.ts";
import type { CheckoutAttempt } from "./attempts.ts";
import { PRODUCTS } from "../shop/useShop.ts";

export type CartLine = Cart["items"][number];

const CART = ["cart"] as const;

export function useCart() {
  return useQuery({ queryKey: CART, queryFn: async () => (await tessera.cart.get.query()).data });
}

/** Every cart call answers with the whole cart, which replaces the one shown. */
export function useAddToCart() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (line: RouterInputs["cart"]["add"]) => (await tessera.cart.add.mutate(line)).data,
    onSuccess: (cart) => queryClient.setQueryData(CART, cart),
  });
}

export function useCartMutations() {
  const queryClient = useQueryClient();
  const onSuccess = (cart: Cart) => queryClient.setQueryData(CART, cart);
  return {
    set: useMutation({ mutationFn: async (line: RouterInputs["cart"]["set"]) => (await tessera.cart.set.mutate(line)).data, onSuccess }),
    remove: useMutation({ mutationFn: async (productId: string) => (await tessera.cart.remove.mutate({ product_id: productId })).data, onSuccess }),
  };
}

/**
 * `checkout.place` with the attempt's Idempotency-Key (the SDK sends it alone, in the header). Whatever the answer,
 * the cart, the orders and the catalog's stock may have changed, so all three are reloaded.
 */
export function useCheckout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ payment_method, key }: CheckoutAttempt) =>
      tessera.checkout.place.mutate({ payment_method }, { context: { idempotencyKey: key } }),
    onSettled: () =>
      Promise.all([CART, ORDERS, PRODUCTS].map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
}
